using System.Net.Http;
using ActorBackup.Admin.Contract.Status;
using ActorBackup.Cluster.Node;
using ActorBackup.Cluster.Sharding;
using ActorBackup.Cluster.Tests.Capture;

namespace ActorBackup.Cluster.Tests.Node;

/// <summary>
/// The whole capture path on a real cluster: three nodes in one process over two regions (each its own
/// ActorSystem, TCP on loopback, SQLite journal), R = 2, capturing from a real reqlite that a simulated
/// federation keeps writing to.
/// </summary>
public sealed class ClusterCaptureSpec() : DilatedTestKit(), IAsyncLifetime
{
    private const int Shards = 8;
    private readonly TestNodeFiles _files = new();
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };
    private readonly List<BackupNode> _nodes = [];
    private readonly List<LedgerDocument> _written = [];
    private LedgerSource _source = null!;
    private SimulatedLedger _ledger = null!;

    private static long WallNow => DateTimeOffset.UtcNow.ToUnixTimeSeconds();

    private TimeSpan Patience => Dilated(TimeSpan.FromSeconds(60));

    public async Task InitializeAsync()
    {
        _source = await LedgerSource.StartAsync();
        // The nodes verify against the key file TestNodeFiles wrote for this seed.
        _ledger = new SimulatedLedger(TestNodeFiles.FederationSeed, WallNow - 600);
        await WriteAsync(6);
        _nodes.AddRange(_files.StartCluster(["eu-west", "eu-west", "us-east"], _ => $$"""
            actorbackup {
              sources = ["{{_source.Endpoint}}"]
              catch-up-margin = 2s
              batch.max-latency = 50ms
              restart-backoff { min = 200ms, max = 2s }
            }
            akka.coordinated-shutdown.run-by-actor-system-terminate = off
            """));
    }

    public async Task DisposeAsync()
    {
        foreach (var node in _nodes)
            await node.DisposeAsync();
        _ledger.Dispose();
        await _source.DisposeAsync();
        _http.Dispose();
        _files.Dispose();
    }

    private async Task WriteAsync(int rounds)
    {
        var documents = _ledger.Next(rounds);
        await _source.InsertAsync(documents);
        _written.AddRange(documents);
    }

    private async Task<ClusterStatus> StatusOver(BackupNode node) =>
        StatusJson.Read(await _http.GetStringAsync(node.AdminUrl + "status"));

    /// <summary>Per shard, the digest of exactly the documents the source holds in its key range.</summary>
    private Dictionary<string, (long Count, string Digest)> Expected()
    {
        var keys = new KeySpace(Shards);
        return _written.GroupBy(d => $"{d.Table}/{keys.ShardOf(d.Id):D3}")
            .ToDictionary(g => g.Key, g => ((long)g.Count(), CaptureHarness.DigestOf(g).ToString()));
    }

    /// <summary>Every shard on R reachable replicas in distinct regions, each holding exactly the source's records.</summary>
    private async Task AwaitEveryShardOnTwoRegionsEqualToTheSourceAsync(BackupNode observer)
    {
        var expected = Expected();
        await AwaitAssertAsync(async () =>
        {
            var status = await StatusOver(observer);
            Assert.Equal(2 * Shards, status.Shards.Count);
            Assert.All(status.Shards, shard =>
            {
                var live = shard.Replicas.Where(r => r.Reachable).ToList();
                Assert.Equal(2, live.Count);
                Assert.Equal(["eu-west", "us-east"], live.Select(r => r.Region).Order());
                var (count, digest) = expected.GetValueOrDefault(shard.Id, (0L, CaptureHarness.DigestOf([]).ToString()));
                Assert.All(live, r => Assert.Equal((count, digest), (r.Records, r.Digest)));
            });
        }, Patience, TimeSpan.FromMilliseconds(500));
    }

    [Fact]
    public async Task Every_record_ends_up_on_two_replicas_in_distinct_regions_equal_to_the_source_and_a_crash_loses_nothing()
    {
        await AwaitEveryShardOnTwoRegionsEqualToTheSourceAsync(_nodes[0]);

        _ledger.NextTimestamp = WallNow - 30;
        await WriteAsync(4);
        await AwaitEveryShardOnTwoRegionsEqualToTheSourceAsync(_nodes[2]);

        var crashed = _nodes[1];
        await crashed.System.Terminate();
        _ledger.NextTimestamp = WallNow - 20;
        await WriteAsync(4);

        // The eu-west replicas of the crashed node are re-placed on the other eu-west node and refilled.
        await AwaitEveryShardOnTwoRegionsEqualToTheSourceAsync(_nodes[0]);
        var status = await StatusOver(_nodes[2]);
        Assert.Contains(status.Members, m => m.Address == crashed.Address && !m.Reachable);
        Assert.Equal(0, status.Quarantined);
    }

    [Fact]
    public async Task When_the_source_has_lost_its_data_a_replica_re_placed_after_a_crash_is_refilled_from_its_sibling()
    {
        await AwaitEveryShardOnTwoRegionsEqualToTheSourceAsync(_nodes[0]);

        // The source comes back empty: whatever the re-placed replicas get must come from the surviving replicas.
        await _source.RestartEmptyAsync();
        await _nodes[1].System.Terminate();

        await AwaitEveryShardOnTwoRegionsEqualToTheSourceAsync(_nodes[0]);
    }
}
