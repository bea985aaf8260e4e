using System.Text;
using System.Text.Json.Nodes;
using ActorBackup.Cluster.Tests.Capture;
using ActorBackup.Cluster.Tests.Node;

namespace ActorBackup.Cluster.Tests.Ingest;

/// <summary>Documents to import: a simulated ledger signed with the keys <see cref="TestNodeFiles"/> gives the nodes, and bad ones.</summary>
internal static class ImportDocuments
{
    public static IReadOnlyList<LedgerDocument> Ledger(int rounds)
    {
        using var ledger = new SimulatedLedger(TestNodeFiles.FederationSeed, 1_500_000_000);
        return ledger.Next(rounds);
    }

    /// <summary>A genuine block whose signature was replaced by another block's: its id still matches, its signature does not.</summary>
    public static byte[] Forged(IReadOnlyList<LedgerDocument> ledger)
    {
        var blocks = ledger.Where(d => d.Table == "bigchain").Skip(1).Take(2).ToArray();
        var forged = JsonNode.Parse(blocks[0].Json)!.AsObject();
        forged["signature"] = JsonNode.Parse(blocks[1].Json)!["signature"]!.GetValue<string>();
        return Encoding.UTF8.GetBytes(forged.ToJsonString());
    }

    public static byte[] Ndjson(IEnumerable<byte[]> documents) =>
        documents.SelectMany(d => d.Concat("\n"u8.ToArray())).ToArray();
}
