using System.Security.Cryptography;
using System.Text;
using ActorBackup.Cluster.Capture;
using ActorBackup.Cluster.Capture.Pipeline;
using ActorBackup.Cluster.Capture.Queries;
using ActorBackup.Cluster.Capture.Replies;
using ActorBackup.Cluster.Capture.Sources;
using ActorBackup.Cluster.Reading;
using ActorBackup.Cluster.Records;
using ActorBackup.Cluster.Replica;
using ActorBackup.Cluster.Serialization;
using Akka;
using Akka.Actor;
using Akka.Streams;
using Akka.Streams.Dsl;

namespace ActorBackup.Cluster.Tests.Capture;

/// <summary>
/// Documents no journal payload could hold whole (larger than a remote frame, nested past any parser's depth), handed to
/// the capture pipeline's entry by an in-process source as a driver delivering them would.
/// </summary>
public sealed class QuarantineCaptureSpec : DilatedTestKit, IDisposable
{
    private const int HugeBytes = 70 * 1024 * 1024;
    private static readonly ReplicaId Votes0 = new("votes", 0);
    private readonly CaptureHarness _harness;

    public QuarantineCaptureSpec() : this(new CaptureHarness())
    {
    }

    private QuarantineCaptureSpec(CaptureHarness harness) : base(harness.Config) => _harness = harness;

    private static byte[] Huge()
    {
        var json = new byte[HugeBytes];
        var head = "{\"id\":\"0f3c2b1a-0000-4000-8000-00000000a070\",\"pad\":\""u8;
        head.CopyTo(json);
        json.AsSpan(head.Length, HugeBytes - head.Length - 2).Fill((byte)'x');
        "\"}"u8.CopyTo(json.AsSpan(HugeBytes - 2));
        return json;
    }

    private static byte[] Deep() =>
        Encoding.UTF8.GetBytes("{\"id\":\"0f3c2b1a-0000-4000-8000-00000000d600\",\"a\":" + new string('[', 600) + new string(']', 600) + "}");

    [Fact]
    public async Task A_70_MiB_document_and_a_600_deep_one_are_kept_as_bounded_entries_while_the_feed_goes_on_and_the_node_restarts_cleanly()
    {
        using var ledger = new SimulatedLedger("quarantine", DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 100);
        var votes = ledger.Next(12).Where(d => d.Table == "votes").ToList();
        var huge = Huge();
        var deep = Deep();
        Source<CaptureElement, NotUsed> Feed(string name) => Source.From<CaptureElement>(
            [
                new FeedOpened(name), ScanCompleted.Instance,
                .. votes.Take(2).Select(d => new SourceDocument(d.Json, DocumentOrigin.Feed)),
                new SourceDocument(huge, DocumentOrigin.Feed),
                new SourceDocument(deep, DocumentOrigin.Feed),
                .. votes.Skip(2).Select(d => new SourceDocument(d.Json, DocumentOrigin.Feed)),
            ])
            .Concat(Source.Never<CaptureElement>());
        var environment = _harness.Environment(ledger.Federation, ["scripted:1"], shards: 1) with { Source = new ScriptedSource(_ => Feed("scripted:1")) };

        var before = ActorSystem.Create("before-restart", _harness.Config);
        try
        {
            var capture = before.ActorOf(CaptureActor.Props(Votes0, environment));
            await AwaitAssertAsync(async () =>
            {
                var status = await capture.Ask<CaptureStatus>(GetCaptureStatus.Instance, TimeSpan.FromSeconds(1));
                Assert.Equal((votes.Count, 2L, CapturePhase.Live), (status.StoredCount, status.QuarantinedCount, status.Phase));
            }, Dilated(TimeSpan.FromSeconds(60)));
        }
        finally
        {
            await before.Terminate();
        }

        // Nothing near the 70 MiB body reached the disk: entries keep the prefix, the digest and the size.
        var onDisk = Directory.EnumerateFiles(_harness.DataDirectory, "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length);
        Assert.True(onDisk < 8 * 1024 * 1024, $"the data directory holds {onDisk} bytes");
        var prefix = AtRest.Get(Sys).Settings.QuarantinePrefixBytes;
        var entries = await new ReplicaReader(Sys).Quarantined(Votes0).RunWith(Sink.Seq<QuarantineEntry>(), Sys.Materializer());
        var (kept, nested) = (Assert.Single(entries, e => e.Size == HugeBytes), Assert.Single(entries, e => e.Size == deep.Length));
        Assert.Equal(SHA256.HashData(huge), kept.Sha256);
        Assert.Equal(huge.AsSpan(0, prefix).ToArray(), kept.Prefix.ToArray());
        Assert.Equal("0f3c2b1a-0000-4000-8000-00000000a070", kept.Id);
        Assert.Equal(deep, nested.Prefix.ToArray());
        Assert.Equal(SHA256.HashData(deep), nested.Sha256);

        // The restarted node replays its journal and takes the same documents again without a second entry.
        var restarted = Sys.ActorOf(CaptureActor.Props(Votes0, environment with { Source = new ScriptedSource(_ => Feed("scripted:2")) }));
        await AwaitAssertAsync(async () =>
        {
            var status = await restarted.Ask<CaptureStatus>(GetCaptureStatus.Instance, TimeSpan.FromSeconds(1));
            Assert.Equal((votes.Count, 2L, CapturePhase.Live, "scripted:2"), (status.StoredCount, status.QuarantinedCount, status.Phase, status.Source));
        }, Dilated(TimeSpan.FromSeconds(60)));
        Assert.Equal(2, _harness.Quarantine().Count);
    }

    public new void Dispose()
    {
        base.Dispose();
        _harness.Dispose();
    }
}
