using ActorBackup.Cli.CommandLine;
using ActorBackup.Cli.Tests.CommandLine;
using ActorBackup.Cli.Tests.Simulate;
using ActorBackup.Ledger.Documents;
using ActorBackup.Sandbox.Reqlite;

namespace ActorBackup.Cli.Tests.Import;

/// <summary>Checks a restore from the cluster against the archive it was imported from.</summary>
internal static class ImportRoundTrip
{
    /// <summary>The newest block or vote timestamp of the archive: the point it was taken at.</summary>
    public static long Newest(ImportArchives.Ledger ledger) =>
        ledger.Blocks.Select(b => Timestamp(b, RecordKind.Block)).Concat(ledger.Votes.Select(v => Timestamp(v, RecordKind.Vote))).Max();

    /// <summary>Restores the cluster at its restorable point into <paramref name="db"/> and asserts it holds the archive's blocks and votes, no more, no fewer.</summary>
    public static async Task AssertRestoresToAsync(ImportCluster cluster, ReqliteServer target, string db, ImportArchives.Ledger ledger)
    {
        var (code, output, error) = await CliRun.RunAsync("restore", "--admin", cluster.AdminUrl, "--to", target.Endpoint, "--db", db);
        Assert.True(code == ExitCodes.Ok, error + output);

        var restored = await StoredDocuments.ReadAsync(target, db);
        Assert.Equal(Canonical(ledger.Blocks), restored.Blocks.Select(b => StoredDocuments.Canonical(b)).Order(StringComparer.Ordinal));
        Assert.Equal(Canonical(ledger.Votes), restored.Votes.Select(v => StoredDocuments.Canonical(v)).Order(StringComparer.Ordinal));
    }

    private static IEnumerable<string> Canonical(IEnumerable<byte[]> documents) =>
        documents.Select(d => StoredDocuments.Canonical(System.Text.Encoding.UTF8.GetString(d))).Order(StringComparer.Ordinal).ToList();

    private static long Timestamp(byte[] json, RecordKind kind) =>
        LedgerReader.TryRead(json, kind, out var record, out var failure)
            ? record switch { Block b => b.Timestamp, Vote v => v.Timestamp, _ => throw new InvalidDataException($"not a {kind}") }
            : throw new InvalidDataException(failure.Message);
}
