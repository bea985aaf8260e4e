using ActorBackup.Admin.Contract;
using ActorBackup.Cluster.Capture.Pipeline;
using ActorBackup.Cluster.Capture.Sources;
using ActorBackup.Cluster.Replica;
using ActorBackup.Ledger.Simulation;

namespace ActorBackup.Cluster.Tests.Capture;

/// <summary>
/// What the source receives while an attempt scans waits unread in its feed's queue on the server, against a real reqlite:
/// however long the scan takes, the attempt confirms no time past the feed's subscription before the feed has delivered
/// what it queued, so no checkpoint claims those records before they are read.
/// </summary>
public sealed class ScanBacklogSpec : DilatedTestKit, IDisposable
{
    private readonly CaptureHarness _harness;

    public ScanBacklogSpec() : this(new CaptureHarness())
    {
    }

    private ScanBacklogSpec(CaptureHarness harness) : base(harness.Config) => _harness = harness;

    private static long WallNow => DateTimeOffset.UtcNow.ToUnixTimeSeconds();

    [Fact]
    public async Task After_a_long_scan_the_source_is_confirmed_at_the_feeds_subscription_until_the_feed_delivered_what_it_queued()
    {
        await using var source = await LedgerSource.StartAsync();
        using var ledger = new SimulatedLedger("scan-backlog", WallNow - 300, FaultRates.None);
        var before = ledger.Next(5).Where(d => d.Table == "bigchain").ToList();
        var during = ledger.Next(3).Where(d => d.Table == "bigchain").ToList();
        await source.InsertAsync(before);
        var environment = _harness.Environment(ledger.Federation, [source.Endpoint], shards: 1);
        var sessions = _harness.Sessions!;
        var request = new CaptureRequest(new ReplicaId("bigchain", 0), environment.Keys.Ranges[0], Watermark.None, 0);
        await using var attempt = await ReqlAttempt.StartAsync(environment.Settings, sessions, request, new CatchUpReads(environment.Settings, sessions, []));
        var elements = new List<CaptureElement> { (await attempt.NextAsync()).Value, (await attempt.NextAsync()).Value };

        // The node is slow to take the scan, as a loaded one is (it reads the attempt only as fast as it stores): the
        // source receives blocks meanwhile, and its clock moves on by seconds before the scan completes.
        Assert.IsType<SourceDocument>(elements[^1]);
        await Task.Delay(TimeSpan.FromSeconds(2));
        await source.InsertAsync(during);
        await Task.Delay(TimeSpan.FromSeconds(2));
        var deadline = DateTime.UtcNow + Dilated(TimeSpan.FromSeconds(60));
        while (elements.Count(e => e is SourceDocument { Origin: DocumentOrigin.Feed }) < during.Count && DateTime.UtcNow < deadline)
            elements.Add((await attempt.NextAsync()).Value);

        var opened = Assert.IsType<FeedOpened>(elements[0]).SourceSeconds!.Value;
        var completed = elements.FindIndex(e => e is ScanCompleted);
        var firstFed = elements.FindIndex(e => e is SourceDocument { Origin: DocumentOrigin.Feed });
        Assert.InRange(completed, 1, firstFed - 1);
        Assert.Equal(before.Count, elements.Count(e => e is SourceDocument { Origin: DocumentOrigin.Scan }));
        // The scan's confirmation: the source answered after the scan, seconds past the subscription, and only the
        // subscription is confirmed until the queued blocks are read.
        var confirmed = elements.Take(firstFed).OfType<SourceReachable>().Select(r => r.UnixSeconds).ToList();
        Assert.NotEmpty(confirmed);
        Assert.All(confirmed, seconds => Assert.True(seconds <= opened, $"confirmed the source at {seconds}, past the feed's subscription at {opened}, before the feed was read"));
        Assert.Equal(during.Count, elements.Count(e => e is SourceDocument { Origin: DocumentOrigin.Feed }));
    }

    public new void Dispose()
    {
        base.Dispose();
        _harness.Dispose();
    }
}
