using ActorBackup.Cli.CommandLine;
using ActorBackup.Cli.Tests.CommandLine;
using ActorBackup.Cli.Tests.Simulate;

namespace ActorBackup.Cli.Tests.Import;

/// <summary>
/// `actorbackup import --as-of` into a real two-node cluster (R = 2) that held nothing, then `restore --admin` into a
/// real reqlite: the cluster gives back the archive's documents.
/// </summary>
public sealed class ImportAsOfTests(EmptyClusterForAsOf cluster, ReqliteFixture reqlite) : IClassFixture<EmptyClusterForAsOf>, IClassFixture<ReqliteFixture>
{
    private const int Rounds = 10;

    private Task<(int Code, string Out, string Err)> Import(params string[] args) =>
        CliRun.RunAsync(["import", "--admin", cluster.AdminUrl, .. args]);

    [Fact]
    public async Task An_archive_imported_into_an_empty_cluster_as_of_its_newest_record_is_restored_to_exactly_its_documents()
    {
        var ledger = await ImportArchives.WriteAsync(Path.Combine(cluster.Root, "as-of.tar.gz"), Rounds);
        var newest = ImportRoundTrip.Newest(ledger);
        await cluster.FormedAsync();

        var (code, output, error) = await Import(ledger.Path, "--as-of", newest.ToString());

        Assert.True(code == ExitCodes.Ok, error + output);
        var status = await cluster.StatusWhen(s => Assert.All(s.Shards, x => Assert.All(x.Replicas, r => Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(newest), r.Watermark))));
        var lines = output.Split('\n');
        var iso = DateTimeOffset.FromUnixTimeSeconds(newest).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'");
        Assert.Contains($"point in time of the import: {iso} ({newest}), as given by --as-of", lines);
        Assert.Contains($"bigchain: every record up to {iso} held, watermark confirmed by 8 replicas of 4 shards", lines);
        Assert.Contains($"votes: every record up to {iso} held, watermark confirmed by 8 replicas of 4 shards", lines);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(newest), status.RestorablePoint);
        await ImportRoundTrip.AssertRestoresToAsync(cluster, reqlite.Server, "as_of_restored", ledger);
    }

    [Fact]
    public async Task An_as_of_below_the_watermark_a_replica_already_has_does_not_lower_it()
    {
        var ledger = await ImportArchives.WriteAsync(Path.Combine(cluster.Root, "lower.tar.gz"), Rounds);
        var newest = ImportRoundTrip.Newest(ledger);
        await cluster.FormedAsync();
        var first = await Import(ledger.Path, "--as-of", newest.ToString());
        var earlier = newest - 100;

        var (code, output, error) = await Import(ledger.Path, "--as-of", DateTimeOffset.FromUnixTimeSeconds(earlier).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'"));

        Assert.True(first.Code == ExitCodes.Ok, first.Err + first.Out);
        Assert.True(code == ExitCodes.Ok, error + output);
        var status = await cluster.StatusWhen(s => Assert.All(s.Shards, x => Assert.All(x.Replicas, r => Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(newest), r.Watermark))));
        var at = DateTimeOffset.FromUnixTimeSeconds(earlier).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'");
        var kept = DateTimeOffset.FromUnixTimeSeconds(newest).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'");
        Assert.Contains($"votes: every record up to {at} held, watermark confirmed by 8 replicas of 4 shards (replicas already past it keep their later point, the earliest {kept})",
            output.Split('\n'));
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(newest), status.RestorablePoint);
    }
}
