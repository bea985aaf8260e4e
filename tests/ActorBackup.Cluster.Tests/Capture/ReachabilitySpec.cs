using ActorBackup.Admin.Contract;
using ActorBackup.Cluster.Capture;
using ActorBackup.Cluster.Capture.Pipeline;
using ActorBackup.Cluster.Capture.Queries;
using ActorBackup.Cluster.Capture.Replies;
using ActorBackup.Cluster.Replica;
using Akka.Actor;
using Akka.Streams.Dsl;

namespace ActorBackup.Cluster.Tests.Capture;

/// <summary>
/// A source that stopped confirming it is reachable (its network drops every packet, so no error arrives), played by
/// an in-process source: the watermark must stop where the source was last seen, not follow the clock.
/// </summary>
public sealed class ReachabilitySpec : DilatedTestKit, IDisposable
{
    private const int MarginSeconds = 5;
    private readonly CaptureHarness _harness;

    public ReachabilitySpec() : this(new CaptureHarness())
    {
    }

    private ReachabilitySpec(CaptureHarness harness) : base(harness.Config) => _harness = harness;

    [Fact]
    public async Task A_source_last_confirmed_long_ago_caps_the_watermark_at_that_time_minus_the_margin_although_checkpoints_go_on()
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        using var ledger = new SimulatedLedger("silent-source", now - 300);
        var votes = ledger.Next(4).Where(d => d.Table == "votes").ToList();
        var lastSeen = now - 120;
        var source = new ScriptedSource(_ => Source.From<CaptureElement>(
            [new FeedOpened("scripted:1"), .. votes.Select(v => new SourceDocument(v.Json, DocumentOrigin.Scan)), new SourceReachable(lastSeen), ScanCompleted.Instance])
            .Concat(Source.Never<CaptureElement>()));
        var environment = _harness.Environment(ledger.Federation, ["scripted:1"], shards: 1, marginSeconds: MarginSeconds) with { Source = source };

        var capture = Sys.ActorOf(CaptureActor.Props(new ReplicaId("votes", 0), environment));

        // Uncapped, the first checkpoint would claim the clock minus the margin, two minutes later than this.
        await AwaitAssertAsync(async () =>
        {
            var status = await capture.Ask<CaptureStatus>(GetCaptureStatus.Instance, TimeSpan.FromSeconds(1));
            Assert.Equal(votes.Count, status.StoredCount);
            Assert.Equal(CapturePhase.Live, status.Phase);
            Assert.Equal(Watermark.At(lastSeen - MarginSeconds), status.Flushed);
        }, Dilated(TimeSpan.FromSeconds(20)));
    }

    [Fact]
    public async Task A_node_that_has_never_measured_its_source_writes_no_checkpoint_until_it_has()
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        using var ledger = new SimulatedLedger("unmeasured-source", now - 300);
        var votes = ledger.Next(4).Where(d => d.Table == "votes").ToList();
        var source = new ScriptedSource(_ => Source.From<CaptureElement>(
            [new FeedOpened("scripted:1"), .. votes.Select(v => new SourceDocument(v.Json, DocumentOrigin.Scan)), ScanCompleted.Instance])
            .Concat(Source.Never<CaptureElement>()));
        // Unix seconds of the source's time once measured, none before.
        var measured = long.MinValue;
        var asked = 0;
        var environment = _harness.Environment(ledger.Federation, ["scripted:1"], shards: 1, marginSeconds: MarginSeconds) with
        {
            Source = source,
            Clock = () =>
            {
                Interlocked.Increment(ref asked);
                var seconds = Interlocked.Read(ref measured);
                return seconds == long.MinValue ? null : DateTimeOffset.FromUnixTimeSeconds(seconds);
            },
        };

        var capture = Sys.ActorOf(CaptureActor.Props(new ReplicaId("votes", 0), environment));

        async Task<CaptureStatus> Status() => await capture.Ask<CaptureStatus>(GetCaptureStatus.Instance, TimeSpan.FromSeconds(1));
        await AwaitAssertAsync(async () =>
        {
            var status = await Status();
            Assert.Equal((votes.Count, CapturePhase.Live), (status.StoredCount, status.Phase));
        }, Dilated(TimeSpan.FromSeconds(20)));
        var live = Volatile.Read(ref asked);
        await AwaitConditionAsync(() => Task.FromResult(Volatile.Read(ref asked) >= live + 5), Dilated(TimeSpan.FromSeconds(20)));
        Assert.Equal(Watermark.None, (await Status()).Flushed);

        Interlocked.Exchange(ref measured, now);
        await AwaitAssertAsync(async () => Assert.Equal(Watermark.At(now - MarginSeconds), (await Status()).Flushed), Dilated(TimeSpan.FromSeconds(20)));
    }

    public new void Dispose()
    {
        base.Dispose();
        _harness.Dispose();
    }
}
