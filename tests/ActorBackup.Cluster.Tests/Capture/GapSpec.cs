using ActorBackup.Cluster.Capture;
using ActorBackup.Cluster.Capture.Pipeline;
using ActorBackup.Cluster.Capture.Queries;
using ActorBackup.Cluster.Capture.Replies;
using ActorBackup.Cluster.Capture.Sources;
using ActorBackup.Cluster.Replica;
using Akka;
using Akka.Actor;
using Akka.Streams.Dsl;

namespace ActorBackup.Cluster.Tests.Capture;

/// <summary>A changefeed that lost changes (queue overflow), played by an in-process source since reqlite never overflows.</summary>
public sealed class GapSpec : DilatedTestKit, IDisposable
{
    private readonly CaptureHarness _harness;

    public GapSpec() : this(new CaptureHarness())
    {
    }

    private GapSpec(CaptureHarness harness) : base(harness.Config) => _harness = harness;

    [Fact]
    public async Task An_overflow_from_the_feed_counts_a_gap_and_the_next_scan_repairs_it()
    {
        using var ledger = new SimulatedLedger("overflow", DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 100);
        var votes = ledger.Next(10).Where(d => d.Table == "votes").ToList();
        var source = new ScriptedSource(
            _ => Source.From<CaptureElement>([new FeedOpened("scripted:1"), ScanCompleted.Instance, .. Feed(votes.Take(5))])
                .Concat(Source.Failed<CaptureElement>(new FeedOverflowException("Changefeed cache over array size limit, skipped 7 elements."))),
            _ => Source.From<CaptureElement>([new FeedOpened("scripted:2"), .. Scan(votes), ScanCompleted.Instance])
                .Concat(Source.Never<CaptureElement>()));
        var environment = _harness.Environment(ledger.Federation, ["scripted:1"], shards: 1) with { Source = source };

        var capture = Sys.ActorOf(CaptureActor.Props(new ReplicaId("votes", 0), environment));

        await AwaitAssertAsync(async () =>
        {
            var status = await capture.Ask<CaptureStatus>(GetCaptureStatus.Instance, TimeSpan.FromSeconds(1));
            Assert.Equal(votes.Count, status.StoredCount);
            Assert.Equal(CapturePhase.Live, status.Phase);
        }, Dilated(TimeSpan.FromSeconds(20)));
        var final = await capture.Ask<CaptureStatus>(GetCaptureStatus.Instance, TimeSpan.FromSeconds(1));
        Assert.Equal(1, final.Gaps);
        Assert.Equal(1, final.Restarts);
        Assert.Equal("scripted:2", final.Source);
        Assert.Equal(votes.Count, final.RecordsScanned);
        Assert.StartsWith("FeedOverflowException: The changefeed lost changes", final.LastError);
    }

    private static IEnumerable<CaptureElement> Feed(IEnumerable<LedgerDocument> documents) =>
        documents.Select(d => new SourceDocument(d.Json, DocumentOrigin.Feed));

    private static IEnumerable<CaptureElement> Scan(IEnumerable<LedgerDocument> documents) =>
        documents.Select(d => new SourceDocument(d.Json, DocumentOrigin.Scan));

    public new void Dispose()
    {
        base.Dispose();
        _harness.Dispose();
    }
}
