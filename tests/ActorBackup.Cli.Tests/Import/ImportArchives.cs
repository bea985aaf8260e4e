using System.Formats.Tar;
using System.IO.Compression;
using System.Text;
using System.Text.Json.Nodes;
using ActorBackup.Ledger.Simulation;
using ActorBackup.Recovery.Archive;

namespace ActorBackup.Cli.Tests.Import;

/// <summary>
/// Dump archives to import: a simulated ledger signed with the keys of <see cref="ImportCluster.FederationSeed"/>
/// (votes with RethinkDB-style ids), optionally with forged and malformed documents, plus a backlog table.
/// </summary>
internal static class ImportArchives
{
    public sealed record Ledger(string Path, IReadOnlyList<byte[]> Blocks, IReadOnlyList<byte[]> Votes);

    /// <summary>
    /// A clean ledger of <paramref name="rounds"/> blocks and their votes; with <paramref name="forgeries"/>, only a forged and a
    /// malformed block; with <paramref name="recordedPoint"/>, the point an export records for bigchain and votes.
    /// </summary>
    public static async Task<Ledger> WriteAsync(string path, int rounds, bool forgeries = false, long? recordedPoint = null)
    {
        using var simulator = new FederationSimulator(new SimulationOptions(ImportCluster.FederationSeed, Nodes: 3, TransactionsPerBlock: 1,
            Clock: SimulationClocks.Virtual()));
        var blocks = new List<byte[]>();
        var votes = new List<byte[]>();
        foreach (var round in simulator.Generate(rounds))
        {
            blocks.Add(round.Block.Json);
            votes.AddRange(round.Votes.Select(v => WithId(v.Json, $"{votes.Count:x8}-0716-4f8e-a580-9e09763434c0")));
        }
        if (forgeries)
        {
            var forged = JsonNode.Parse(blocks[1])!.AsObject();
            forged["signature"] = JsonNode.Parse(blocks[2])!["signature"]!.GetValue<string>();
            blocks = [Encoding.UTF8.GetBytes(forged.ToJsonString()), """{"id":"a0b1c2d3","block":42}"""u8.ToArray()];
            votes = [];
        }
        await using (var file = File.Create(path))
        await using (var archive = DumpArchiveWriter.Create(file, new DumpArchiveOptions { TempDirectory = System.IO.Path.GetDirectoryName(path)! }))
        {
            await WriteTable(archive, "bigchain", blocks);
            await WriteTable(archive, "votes", votes);
            await WriteTable(archive, "backlog", ["""{"id":"00ff","assignee":"node-0"}"""u8.ToArray()]);
            if (recordedPoint is { } at)
                await archive.AddFileAsync("bigchain", ArchivePoint.FileName, new ArchivePoint(at, ["bigchain", "votes"]).Write());
            await archive.CompleteAsync();
        }
        return new Ledger(path, blocks, votes);
    }

    /// <summary>A gzip tar whose single data file is not three components deep, as no dump has it.</summary>
    public static void WriteBadLayout(string path)
    {
        using var file = File.Create(path);
        using var gzip = new GZipStream(file, CompressionLevel.Fastest);
        using var tar = new TarWriter(gzip, TarEntryFormat.Pax);
        foreach (var name in new[] { "dump/votes.json", "dump/votes.info" })
        {
            var entry = new PaxTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream("[]\n"u8.ToArray()) };
            tar.WriteEntry(entry);
        }
    }

    private static async Task WriteTable(DumpArchiveWriter archive, string table, IEnumerable<byte[]> rows)
    {
        using var data = archive.BeginTable(new TableInfo("bigchain", table, "id", []));
        foreach (var row in rows)
            data.WriteRow(row);
        await data.CompleteAsync();
    }

    private static byte[] WithId(byte[] json, string id)
    {
        var node = JsonNode.Parse(json)!.AsObject();
        node["id"] = id;
        return Encoding.UTF8.GetBytes(node.ToJsonString());
    }
}
