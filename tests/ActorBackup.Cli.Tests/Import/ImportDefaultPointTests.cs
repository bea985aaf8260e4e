using ActorBackup.Cli.CommandLine;
using ActorBackup.Cli.Tests.CommandLine;
using ActorBackup.Cli.Tests.Simulate;

namespace ActorBackup.Cli.Tests.Import;

/// <summary>`actorbackup import` without --as-of into a real two-node cluster (R = 2) that held nothing, then `restore --admin`.</summary>
public sealed class ImportDefaultPointTests(EmptyClusterForDefaultPoint cluster, ReqliteFixture reqlite)
    : IClassFixture<EmptyClusterForDefaultPoint>, IClassFixture<ReqliteFixture>
{
    [Fact]
    public async Task Without_as_of_an_import_is_restorable_as_of_the_archives_newest_verified_record()
    {
        var ledger = await ImportArchives.WriteAsync(Path.Combine(cluster.Root, "default.tar.gz"), rounds: 10);
        var newest = ImportRoundTrip.Newest(ledger);
        await cluster.FormedAsync();

        var (code, output, error) = await CliRun.RunAsync("import", "--admin", cluster.AdminUrl, ledger.Path);

        Assert.True(code == ExitCodes.Ok, error + output);
        var status = await cluster.StatusWhen(s => Assert.All(s.Shards, x => Assert.All(x.Replicas, r => Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(newest), r.Watermark))));
        var iso = DateTimeOffset.FromUnixTimeSeconds(newest).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'");
        Assert.Contains($"point in time of the import: {iso} ({newest}), its newest verified record: the archive records no point of its own (as from rethinkdb dump), so that is all it proves",
            output.Split('\n'));
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(newest), status.RestorablePoint);
        await ImportRoundTrip.AssertRestoresToAsync(cluster, reqlite.Server, "default_point_restored", ledger);
    }
}
