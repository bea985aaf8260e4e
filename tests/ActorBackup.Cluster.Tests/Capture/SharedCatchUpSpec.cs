using System.Text.Json;
using ActorBackup.Admin.Contract;
using ActorBackup.Cluster.Capture;
using ActorBackup.Cluster.Capture.Pipeline;
using ActorBackup.Cluster.Capture.Sources;
using ActorBackup.Cluster.Replica;
using ActorBackup.Cluster.Sharding;
using ActorBackup.Ledger.Documents;
using ActorBackup.Ledger.Simulation;
using ActorBackup.ReQL.Errors;
using ActorBackup.Testing.Network;
using Akka.Streams;
using Akka.Streams.Dsl;

namespace ActorBackup.Cluster.Tests.Capture;

/// <summary>
/// A node's replicas catching up a table at about the same time share one read of the source's indexes
/// (<see cref="SharedCatchUp"/>), against a real reqlite behind a counting relay: each attempt still sees its feed
/// opened, exactly the documents its own read would have selected, and the scan completed.
/// </summary>
public sealed class SharedCatchUpSpec : DilatedTestKit, IDisposable
{
    private readonly CaptureHarness _harness;

    public SharedCatchUpSpec() : this(new CaptureHarness())
    {
    }

    private SharedCatchUpSpec(CaptureHarness harness) : base(harness.Config) => _harness = harness;

    private static long WallNow => DateTimeOffset.UtcNow.ToUnixTimeSeconds();

    private TimeSpan Patience => Dilated(TimeSpan.FromSeconds(60));

    [Fact]
    public async Task Blocks_replicas_catching_up_together_send_one_index_read_and_each_receives_exactly_its_documents_from_its_own_point()
    {
        await using var source = await LedgerSource.StartAsync();
        await source.CreateIndexAsync("bigchain", LedgerTables.BlockTimestampIndex);
        await using var relay = new CountingRelay(source.Server.Host, source.Server.Port);
        using var ledger = new SimulatedLedger("shared-blocks", WallNow - 1000, FaultRates.None);
        var blocks = Table(ledger.Next(60), "bigchain");
        await source.InsertAsync(blocks);
        var environment = _harness.Environment(ledger.Federation, [relay.Endpoint], shards: 4, extra: "capture.catch-up-join-window = 2s");
        // Each replica from a point of its own: all of them, from the 21st block, from the 41st, none.
        Watermark[] from = [Watermark.At(WallNow - 2000), Watermark.At(blocks[20].Timestamp), Watermark.At(blocks[40].Timestamp), Watermark.At(WallNow)];

        var scans = await Task.WhenAll(Enumerable.Range(0, 4).Select(shard => ScanAsync(environment, "bigchain", shard, from[shard])));

        for (var shard = 0; shard < 4; shard++)
        {
            AssertOneScan(scans[shard]);
            var expected = blocks.Where(b => environment.Keys.ShardOf(b.Id) == shard && b.Timestamp >= from[shard].Seconds).Select(b => b.Id);
            Assert.Equal(expected.Order(), Ids(scans[shard]).Order());
        }
        Assert.Equal(1, IndexReads(relay, LedgerTables.BlockTimestampIndex));
    }

    [Fact]
    public async Task Votes_replicas_catching_up_together_send_the_keys_of_their_blocks_once()
    {
        await using var source = await LedgerSource.StartAsync();
        await source.CreateIndexAsync("bigchain", LedgerTables.BlockTimestampIndex);
        await source.CreateIndexAsync("votes", LedgerTables.BlockAndVoterIndex);
        await using var relay = new CountingRelay(source.Server.Host, source.Server.Port);
        using var ledger = new SimulatedLedger("shared-votes", WallNow - 1000, FaultRates.None);
        var documents = ledger.Next(40);
        await source.InsertAsync(documents);
        var votes = Table(documents, "votes");
        var environment = _harness.Environment(ledger.Federation, [relay.Endpoint], shards: 4, extra: "capture.catch-up-join-window = 2s");
        Watermark[] from = [Watermark.At(WallNow - 2000), Watermark.At(votes[30].Timestamp), Watermark.At(votes[90].Timestamp), Watermark.At(WallNow - 2000)];

        var scans = await Task.WhenAll(Enumerable.Range(0, 4).Select(shard => ScanAsync(environment, "votes", shard, from[shard])));

        for (var shard = 0; shard < 4; shard++)
        {
            AssertOneScan(scans[shard]);
            var expected = votes.Where(v => environment.Keys.ShardOf(v.Id) == shard && v.Timestamp >= from[shard].Seconds).Select(v => v.Id);
            Assert.Equal(expected.Order(), Ids(scans[shard]).Order());
        }
        // The block ids once, and one get_all for the 40 blocks (fewer than BlocksPerVoteQuery) with a key per block and voter.
        Assert.Equal(1, IndexReads(relay, LedgerTables.BlockTimestampIndex));
        Assert.Equal(1, IndexReads(relay, LedgerTables.BlockAndVoterIndex));
    }

    [Fact]
    public async Task A_replica_asking_after_the_read_started_gets_a_read_of_its_own()
    {
        await using var source = await LedgerSource.StartAsync();
        await source.CreateIndexAsync("bigchain", LedgerTables.BlockTimestampIndex);
        await using var relay = new CountingRelay(source.Server.Host, source.Server.Port);
        using var ledger = new SimulatedLedger("shared-late", WallNow - 1000, FaultRates.None);
        var blocks = Table(ledger.Next(20), "bigchain");
        await source.InsertAsync(blocks);
        var environment = _harness.Environment(ledger.Federation, [relay.Endpoint], extra: "capture.catch-up-join-window = 200ms");
        var from = Watermark.At(WallNow - 2000);

        var first = await ScanAsync(environment, "bigchain", 0, from);
        Assert.Equal(1, IndexReads(relay, LedgerTables.BlockTimestampIndex));
        // Its feed is subscribed after the first read began, so that read's rows may miss what the feed has not seen.
        var late = await ScanAsync(environment, "bigchain", 1, from);

        Assert.Equal(2, IndexReads(relay, LedgerTables.BlockTimestampIndex));
        AssertOneScan(first);
        AssertOneScan(late);
        Assert.Equal(blocks.Where(b => environment.Keys.ShardOf(b.Id) == 1).Select(b => b.Id).Order(), Ids(late).Order());
    }

    [Fact]
    public async Task An_attempt_cancelled_in_the_middle_of_the_read_leaves_it_and_the_others_receive_everything()
    {
        // Far more blocks in each shard than an attempt's buffer: a read still routing to the cancelled one would stall.
        await using var source = await LedgerSource.StartAsync();
        var (blocks, environment) = await ManyBlocksAsync(source, "shared-cancelled", "capture.catch-up-join-window = 2s");
        var from = Watermark.At(WallNow - 4000);

        var cancelled = Open(environment, "bigchain", 0, from).Take(6).RunWith(Sink.Seq<CaptureElement>(), Sys.Materializer());
        var other = ScanAsync(environment, "bigchain", 1, from);

        Assert.Equal(6, (await cancelled.WaitAsync(Patience)).Count);
        var scan = await other;
        AssertOneScan(scan);
        Assert.Equal(blocks.Where(b => environment.Keys.ShardOf(b.Id) == 1).Select(b => b.Id).Order(), Ids(scan).Order());
    }

    [Fact]
    public async Task An_attempt_that_stops_taking_rows_is_dropped_after_the_stall_timeout_and_the_others_receive_everything()
    {
        // Far more blocks in each shard than an attempt's buffer: without the timeout the read would wait for the stalled one for good.
        await using var source = await LedgerSource.StartAsync();
        var (blocks, environment) = await ManyBlocksAsync(source, "shared-stalled", "capture { catch-up-join-window = 2s, catch-up-stall-timeout = 2s }");
        var from = Watermark.At(WallNow - 4000);
        var stalledUntil = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var stalled = Open(environment, "bigchain", 0, from)
            .SelectAsync(1, async e =>
            {
                if (e is SourceDocument) await stalledUntil.Task;
                return e;
            })
            .RunWith(Sink.Seq<CaptureElement>(), Sys.Materializer());
        var other = ScanAsync(environment, "bigchain", 1, from);

        var scan = await other;
        AssertOneScan(scan);
        Assert.Equal(blocks.Where(b => environment.Keys.ShardOf(b.Id) == 1).Select(b => b.Id).Order(), Ids(scan).Order());
        Assert.False(stalled.IsCompleted);
        stalledUntil.SetResult();
        var error = await Assert.ThrowsAsync<CatchUpStalledException>(() => stalled.WaitAsync(Patience));
        Assert.Contains("capture.catch-up-stall-timeout", error.Message);
    }

    [Fact]
    public async Task A_read_the_connection_breaks_in_the_middle_of_fails_every_attempt_that_joined_it()
    {
        await using var source = await LedgerSource.StartAsync();
        await source.CreateIndexAsync("bigchain", LedgerTables.BlockTimestampIndex);
        await using var relay = new CountingRelay(source.Server.Host, source.Server.Port);
        using var ledger = new SimulatedLedger("shared-broken", WallNow - 3000, FaultRates.None);
        var blocks = Table(ledger.Next(4 * CatchUpMember.BufferedRows), "bigchain");
        await source.InsertAsync(blocks);
        var environment = _harness.Environment(ledger.Federation, [relay.Endpoint], extra: "capture.catch-up-join-window = 2s");
        var from = Watermark.At(WallNow - 4000);
        var received = 0;

        // The slow attempt holds the read at its full buffer; the connection breaks while both wait for more.
        var slow = Open(environment, "bigchain", 0, from)
            .Throttle(1, TimeSpan.FromMilliseconds(50), 1, ThrottleMode.Shaping)
            .Select(e =>
            {
                if (e is SourceDocument && Interlocked.Increment(ref received) == 10) relay.DropAll();
                return e;
            })
            .RunWith(Sink.Seq<CaptureElement>(), Sys.Materializer());
        var fast = ScanAsync(environment, "bigchain", 1, from);

        await Assert.ThrowsAnyAsync<ReqlError>(() => slow.WaitAsync(Patience));
        await Assert.ThrowsAnyAsync<ReqlError>(() => fast.WaitAsync(Patience));
    }

    [Fact]
    public void The_server_filters_the_members_key_ranges_merged()
    {
        var ranges = new KeySpace(8).Ranges;
        Assert.Equal([(null, null)], SharedCatchUp.KeyRanges(ranges));
        Assert.Equal([(null, ranges[2].Upper), (ranges[4].Lower, ranges[4].Upper), (ranges[6].Lower, null)],
            SharedCatchUp.KeyRanges([ranges[7], ranges[1], ranges[4], ranges[0], ranges[6], ranges[2]]));
    }

    /// <summary>
    /// The blocks of four times an attempt's buffer of rounds an hour old (an hour and a minute before now) in
    /// <paramref name="source"/>, with their timestamp index, and an environment of two shards reading it.
    /// </summary>
    private async Task<(List<LedgerDocument> Blocks, CaptureEnvironment Environment)> ManyBlocksAsync(LedgerSource source, string name, string extra)
    {
        await source.CreateIndexAsync("bigchain", LedgerTables.BlockTimestampIndex);
        using var ledger = new SimulatedLedger(name, WallNow - 3000, FaultRates.None);
        var blocks = Table(ledger.Next(4 * CatchUpMember.BufferedRows), "bigchain");
        await source.InsertAsync(blocks);
        return (blocks, _harness.Environment(ledger.Federation, [source.Endpoint], extra: extra));
    }

    private static List<LedgerDocument> Table(IEnumerable<LedgerDocument> documents, string table) => documents.Where(d => d.Table == table).ToList();

    private static Source<CaptureElement, Akka.NotUsed> Open(CaptureEnvironment environment, string table, int shard, Watermark from) =>
        environment.Source.Open(new CaptureRequest(new ReplicaId(table, shard), environment.Keys.Ranges[shard], from, 0));

    /// <summary>The elements of an attempt up to and including <see cref="ScanCompleted"/>; then the attempt is closed.</summary>
    private async Task<IReadOnlyList<CaptureElement>> ScanAsync(CaptureEnvironment environment, string table, int shard, Watermark from) =>
        await Open(environment, table, shard, from)
            .TakeWhile(e => e is not ScanCompleted, inclusive: true)
            .RunWith(Sink.Seq<CaptureElement>(), Sys.Materializer())
            .WaitAsync(Patience);

    /// <summary>The feed opened first, the scan completed last, nothing read by range and nothing live in between.</summary>
    private static void AssertOneScan(IReadOnlyList<CaptureElement> elements)
    {
        Assert.IsType<FeedOpened>(elements[0]);
        Assert.IsType<ScanCompleted>(elements[^1]);
        Assert.All(elements.Skip(1).SkipLast(1), e => Assert.True(
            e is SourceDocument { Origin: DocumentOrigin.Scan } or SourceReachable, $"{e} during the scan"));
    }

    private static IEnumerable<string> Ids(IEnumerable<CaptureElement> elements) =>
        elements.OfType<SourceDocument>().Select(d =>
        {
            using var json = JsonDocument.Parse(d.Json);
            return json.RootElement.GetProperty("id").GetString()!;
        });

    private static int IndexReads(CountingRelay relay, string index) =>
        relay.StartedQueries.Count(q => q.Contains($"\"index\":\"{index}\"", StringComparison.Ordinal));

    public new void Dispose()
    {
        base.Dispose();
        _harness.Dispose();
    }
}
