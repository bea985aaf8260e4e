using ActorBackup.Cli.CommandLine;
using ActorBackup.Cli.Tests.CommandLine;

namespace ActorBackup.Cli.Tests.Import;

/// <summary>`actorbackup import` into a real two-node cluster over TCP with R = 2.</summary>
public sealed class ImportVerbTests(TwoNodeCluster cluster) : IClassFixture<TwoNodeCluster>
{
    private Task<(int Code, string Out, string Err)> Run(params string[] args) =>
        CliRun.RunAsync(["import", "--admin", cluster.AdminUrl, .. args]);

    [Fact]
    public async Task An_archive_lands_on_both_replicas_of_every_shard_with_equal_digests_and_importing_it_again_stores_nothing_new()
    {
        var ledger = await ImportArchives.WriteAsync(Path.Combine(cluster.Root, "ledger.tar.gz"), rounds: 12);
        await cluster.FormedAsync();
        var total = ledger.Blocks.Count + ledger.Votes.Count;

        var first = await Run(ledger.Path);
        Assert.True(first.Code == ExitCodes.Ok, first.Err + first.Out);
        var status = await cluster.StatusWhen(s =>
        {
            Assert.Equal(total, s.Shards.Sum(x => x.Records));
            Assert.All(s.Shards, x => Assert.All(x.Replicas, r => Assert.Equal(x.Records, r.Records)));
        });
        var again = await Run(ledger.Path, "--chunk", "7");

        var lines = first.Out.Split('\n');
        Assert.Contains("skipping bigchain.backlog (1 documents): only bigchain and votes are backed up", lines);
        Assert.Contains($"bigchain: {ledger.Blocks.Count} imported, 0 duplicates, 0 quarantined", lines);
        Assert.Contains($"votes: {ledger.Votes.Count} imported, 0 duplicates, 0 quarantined", lines);
        Assert.Contains($"imported {total} documents of 2 tables into the cluster at {cluster.AdminUrl}: {total} stored, 0 already held, 0 quarantined; every one durable on R replicas", lines);
        Assert.All(status.Shards, shard =>
        {
            Assert.Equal(2, shard.Replicas.Count);
            Assert.Single(shard.Replicas.Select(r => r.Digest).Distinct());
            Assert.Equal(["eu-west", "us-east"], shard.Replicas.Select(r => r.Region).Order());
        });
        Assert.True(again.Code == ExitCodes.Ok, again.Err + again.Out);
        Assert.Contains($"bigchain: 0 imported, {ledger.Blocks.Count} duplicates, 0 quarantined", again.Out.Split('\n'));
        Assert.Contains($"votes: 0 imported, {ledger.Votes.Count} duplicates, 0 quarantined", again.Out.Split('\n'));
        Assert.Equal(total, (await cluster.StatusAsync()).Shards.Sum(x => x.Records));
    }

    [Fact]
    public async Task Forged_and_malformed_documents_end_in_quarantine_with_their_reasons()
    {
        var archive = await ImportArchives.WriteAsync(Path.Combine(cluster.Root, "forged.tar.gz"), rounds: 3, forgeries: true);
        await cluster.FormedAsync();
        var before = (await cluster.StatusAsync()).Quarantined;

        var (code, output, error) = await Run(archive.Path, "--tables", "bigchain");

        Assert.True(code == ExitCodes.VerificationFailed, error + output);
        var lines = output.Split('\n');
        Assert.Contains("bigchain: 0 imported, 0 duplicates, 2 quarantined (signature-mismatch 1, wrong-field-type 1)", lines);
        Assert.Contains("2 documents failed verification and are kept in quarantine, never restored as valid", lines);
        Assert.Contains(lines, l => l.StartsWith("  quarantined ", StringComparison.Ordinal) && l.Contains(": signature-mismatch: ", StringComparison.Ordinal));
        await cluster.StatusWhen(s => Assert.Equal(before + 2, s.Quarantined));
    }
}
