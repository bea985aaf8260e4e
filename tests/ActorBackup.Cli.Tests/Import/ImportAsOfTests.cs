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
        Assert.Contains($"point in time of the import: {iso} ({newest}), as given by --as-of, at or before the newest verified record of the archive", lines);
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
        // Still after some block and some vote: a point up to which nothing is held is refused.
        var earlier = newest - 5;

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

    [Fact]
    public async Task An_as_of_after_the_newest_verified_record_of_an_archive_that_records_no_point_is_refused_and_sets_no_point()
    {
        var ledger = await ImportArchives.WriteAsync(Path.Combine(cluster.Root, "beyond.tar.gz"), Rounds);
        var newest = ImportRoundTrip.Newest(ledger);
        await cluster.FormedAsync();
        var claimed = DateTimeOffset.FromUnixTimeSeconds(newest + 1).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'");
        var iso = DateTimeOffset.FromUnixTimeSeconds(newest).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'");

        var (code, output, error) = await Import(ledger.Path, "--as-of", (newest + 1).ToString());

        Assert.Equal(ExitCodes.Failure, code);
        Assert.Equal($"actorbackup import: error: --as-of {claimed} is after the newest verified record of the archive ({iso}), and the archive records no point of its own (as from rethinkdb dump), so it proves no later one; the records are imported, no point in time was set\n", error);
        Assert.DoesNotContain("point in time of the import", output);
        var status = await cluster.StatusWhen(_ => { });
        Assert.All(status.Shards, s => Assert.All(s.Replicas, r => Assert.True(r.Watermark is null || r.Watermark <= DateTimeOffset.FromUnixTimeSeconds(newest), $"{s.Id}: {r.Watermark}")));
    }

    [Fact]
    public async Task An_as_of_after_the_point_an_exported_archive_records_is_refused_before_anything_is_imported()
    {
        var ledger = await ImportArchives.WriteAsync(Path.Combine(cluster.Root, "recorded.tar.gz"), Rounds, recordedPoint: 1_500_000_003);
        await cluster.FormedAsync();

        var (code, output, error) = await Import(ledger.Path, "--as-of", "1500000004");

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Equal("actorbackup import: error: --as-of 2017-07-14T02:40:04Z is after the point the archive records (2017-07-14T02:40:03Z): it proves no record past that; nothing was imported\n", error);
        Assert.DoesNotContain("imported", output);
    }

    [Fact]
    public async Task Without_as_of_an_exported_archive_is_imported_as_of_the_point_it_records_and_says_so()
    {
        var ledger = await ImportArchives.WriteAsync(Path.Combine(cluster.Root, "exported.tar.gz"), Rounds, recordedPoint: 1_500_000_020);
        await cluster.FormedAsync();

        var (code, output, error) = await Import(ledger.Path);

        Assert.True(code == ExitCodes.Ok, error + output);
        var lines = output.Split('\n');
        Assert.Contains("point in time of the import: 2017-07-14T02:40:20Z (1500000020), the point the archive records (actorbackup export read the cluster at it)", lines);
        Assert.Contains(lines, l => l.StartsWith("votes: every record up to 2017-07-14T02:40:20Z held, watermark confirmed by 8 replicas of 4 shards", StringComparison.Ordinal));
    }
}
