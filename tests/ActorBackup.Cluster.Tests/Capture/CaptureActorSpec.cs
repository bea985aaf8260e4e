using ActorBackup.Cluster.Capture;
using ActorBackup.Cluster.Capture.Queries;
using ActorBackup.Cluster.Capture.Replies;
using ActorBackup.Cluster.Positions;
using ActorBackup.Cluster.Replica;
using ActorBackup.Cluster.Replica.Commands;
using ActorBackup.Cluster.Replica.Replies;
using ActorBackup.Ledger.Simulation;
using Akka.Actor;

namespace ActorBackup.Cluster.Tests.Capture;

/// <summary>Capture actors against real reqlite sources and a real SQLite journal.</summary>
public sealed class CaptureActorSpec : Akka.TestKit.Xunit2.TestKit, IDisposable
{
    // Short: assertions poll, and a question sent before the journal's supervisor started its child is lost.
    private static readonly TimeSpan AskTimeout = TimeSpan.FromSeconds(1);
    private readonly CaptureHarness _harness;

    public CaptureActorSpec() : this(new CaptureHarness())
    {
    }

    private CaptureActorSpec(CaptureHarness harness) : base(harness.Config) => _harness = harness;

    private static long WallNow => DateTimeOffset.UtcNow.ToUnixTimeSeconds();

    private TimeSpan Patience => Dilated(TimeSpan.FromSeconds(30));

    [Fact]
    public async Task Records_before_start_come_from_the_scan_records_while_live_from_the_feed_and_shards_split_the_set()
    {
        await using var source = await LedgerSource.StartAsync();
        using var ledger = new SimulatedLedger("scan-and-feed", WallNow - 200);
        var before = ledger.Next(8);
        await source.InsertAsync(before);
        var environment = _harness.Environment(ledger.Federation, [source.Endpoint]);
        var captures = Spawn(environment, Sys);

        await AwaitStoredAsync(captures, environment, before);
        foreach (var capture in captures.Values)
        {
            var status = await StatusAsync(capture);
            Assert.Equal(CapturePhase.Live, status.Phase);
            Assert.Equal(source.Endpoint, status.Source);
        }

        ledger.NextTimestamp = WallNow - 2;
        var live = ledger.Next(5);
        await source.InsertAsync(live);

        await AwaitStoredAsync(captures, environment, [.. before, .. live]);
        var scanned = 0L;
        foreach (var capture in captures.Values) scanned += (await StatusAsync(capture)).RecordsScanned;
        Assert.Equal(before.Count, scanned);
        Assert.All(captures.Keys, replica => Assert.Contains(before.Concat(live), d => Expected(environment, replica, d)));
    }

    [Fact]
    public async Task A_source_killed_and_recovered_mid_feed_leaves_no_gap_and_stores_each_record_once()
    {
        await using var source = await LedgerSource.StartAsync();
        using var ledger = new SimulatedLedger("kill-and-recover", WallNow - 300);
        var first = ledger.Next(6);
        await source.InsertAsync(first);
        var environment = _harness.Environment(ledger.Federation, [source.Endpoint]);
        var captures = Spawn(environment, Sys);
        await AwaitStoredAsync(captures, environment, first);

        await source.RestartEmptyAsync();
        ledger.NextTimestamp = WallNow - 2;
        var later = ledger.Next(6);
        await source.InsertAsync([.. first, .. later]);

        await AwaitStoredAsync(captures, environment, [.. first, .. later]);
        foreach (var capture in captures.Values)
        {
            await AwaitAssertAsync(async () => Assert.Equal(CapturePhase.Live, (await StatusAsync(capture)).Phase), Patience);
            var status = await StatusAsync(capture);
            Assert.True(status.Restarts >= 1, $"{status.Replica} restarted {status.Restarts} times");
            Assert.NotNull(status.LastError);
        }
    }

    [Fact]
    public async Task When_the_first_source_dies_capture_goes_on_from_the_second()
    {
        await using var primary = await LedgerSource.StartAsync();
        await using var secondary = await LedgerSource.StartAsync();
        using var ledger = new SimulatedLedger("failover", WallNow - 300);
        var first = ledger.Next(5);
        await primary.InsertAsync(first);
        await secondary.InsertAsync(first);
        var environment = _harness.Environment(ledger.Federation, [primary.Endpoint, secondary.Endpoint]);
        var captures = Spawn(environment, Sys);
        await AwaitStoredAsync(captures, environment, first);

        primary.Server.Kill();
        ledger.NextTimestamp = WallNow - 2;
        var later = ledger.Next(5);
        await secondary.InsertAsync(later);

        await AwaitStoredAsync(captures, environment, [.. first, .. later]);
        foreach (var capture in captures.Values)
            Assert.Equal(secondary.Endpoint, (await StatusAsync(capture)).Source);
    }

    [Fact]
    public async Task Records_delivered_again_by_the_source_failed_over_to_are_stored_once()
    {
        await using var primary = await LedgerSource.StartAsync();
        await using var secondary = await LedgerSource.StartAsync();
        using var ledger = new SimulatedLedger("twice", WallNow - 100);
        var first = ledger.Next(5);
        await primary.InsertAsync(first);
        await secondary.InsertAsync(first);
        // A margin wider than the records' age: the scan on the second source reads every record again.
        var environment = _harness.Environment(ledger.Federation, [primary.Endpoint, secondary.Endpoint], marginSeconds: 600);
        var captures = Spawn(environment, Sys);
        await AwaitStoredAsync(captures, environment, first);

        primary.Server.Kill();
        var later = ledger.Next(3);
        await secondary.InsertAsync(later);

        await AwaitStoredAsync(captures, environment, [.. first, .. later]);
        var duplicates = 0L;
        foreach (var capture in captures.Values) duplicates += (await StatusAsync(capture)).Duplicates;
        Assert.True(duplicates >= first.Count, $"{duplicates} duplicates counted, {first.Count} records were delivered twice");
    }

    private static bool Expected(CaptureEnvironment environment, ReplicaId replica, LedgerDocument document) =>
        document.Table == replica.Table && environment.Keys.ShardOf(document.Id) == replica.Shard;

    private Dictionary<ReplicaId, IActorRef> Spawn(CaptureEnvironment environment, ActorSystem system) =>
        (from table in new[] { "bigchain", "votes" }
         from shard in Enumerable.Range(0, environment.Keys.ShardCount)
         select new ReplicaId(table, shard))
        .ToDictionary(r => r, r => system.ActorOf(CaptureActor.Props(r, environment), $"capture-{r.Table}-{r.Shard}"));

    private async Task AwaitStoredAsync(Dictionary<ReplicaId, IActorRef> captures, CaptureEnvironment environment, IReadOnlyList<LedgerDocument> documents)
    {
        foreach (var (replica, capture) in captures)
        {
            var expected = documents.Where(d => Expected(environment, replica, d)).DistinctBy(d => d.Id).ToList();
            await AwaitAssertAsync(async () =>
            {
                var journal = await JournalAsync(capture);
                Assert.Equal(expected.Count, journal.StoredCount);
                Assert.Equal(CaptureHarness.DigestOf(expected), journal.Digest);
            }, Patience, Dilated(TimeSpan.FromMilliseconds(100)));
        }
    }

    private static Task<CaptureStatus> StatusAsync(IActorRef capture) =>
        capture.Ask<CaptureStatus>(GetCaptureStatus.Instance, AskTimeout);

    private Task<ReplicaStatus> JournalAsync(IActorRef capture) =>
        Sys.ActorSelection(capture.Path / "journal").Ask<ReplicaStatus>(GetReplicaStatus.Instance, AskTimeout);

    public new void Dispose()
    {
        base.Dispose();
        _harness.Dispose();
    }
}
