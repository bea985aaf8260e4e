using ActorBackup.Admin.Contract;
using ActorBackup.Cluster.Capture;
using ActorBackup.Cluster.Capture.Queries;
using ActorBackup.Cluster.Capture.Replies;
using ActorBackup.Cluster.Node;
using ActorBackup.Cluster.Replica;
using ActorBackup.Cluster.Replica.Commands;
using ActorBackup.Cluster.Replica.Replies;
using ActorBackup.Ledger.Simulation;
using ActorBackup.Ledger.Documents;
using ActorBackup.Testing.Network;
using Akka.Actor;

using static ActorBackup.Cluster.Tests.Capture.CaptureReplicas;
namespace ActorBackup.Cluster.Tests.Capture;

/// <summary>
/// The catch-up scan after a reconnect, against real reqlite sources: blocks through BigchainDB's block_timestamp index
/// and votes through their blocks (block_timestamp, then block_and_voter) when the source has the indexes, through the
/// shard's key range (reported) when it has not or the index scan fails.
/// </summary>
public sealed class CatchUpSpec : DilatedTestKit, IDisposable
{
    private static readonly TimeSpan AskTimeout = TimeSpan.FromSeconds(1);
    private readonly CaptureHarness _harness;

    public CatchUpSpec() : this(new CaptureHarness())
    {
    }

    private CatchUpSpec(CaptureHarness harness) : base(harness.Config) => _harness = harness;

    private static long WallNow => DateTimeOffset.UtcNow.ToUnixTimeSeconds();

    private TimeSpan Patience => Dilated(TimeSpan.FromSeconds(30));

    [Fact]
    public async Task With_the_timestamp_index_a_catch_up_captures_the_blocks_of_the_disconnect_oldest_first_each_in_its_own_shard()
    {
        await using var source = await LedgerSource.StartAsync();
        await source.CreateIndexAsync("bigchain", LedgerTables.BlockTimestampIndex);
        using var ledger = new SimulatedLedger("catch-up-index", WallNow - 300);
        var first = Blocks(ledger.Next(6));
        // Stamped in 2001: as text "999999999" sorts after every ten-digit time, as a number it is long before the watermark.
        var ancient = new LedgerDocument("bigchain", "ancient-block", 999999999, """{"id":"ancient-block","block":{"timestamp":"999999999"}}"""u8.ToArray(), SimulatedFault.Malformed);
        await source.InsertAsync([.. first, ancient]);
        var environment = _harness.Environment(ledger.Federation, [source.Endpoint]);
        var flushed = await CaptureUntilFlushedAsync(environment, first);
        await AwaitAssertAsync(() => Assert.Contains(_harness.Quarantine(), q => q.Id == ancient.Id), Patience);

        ledger.NextTimestamp = WallNow - 2;
        var later = Blocks(ledger.Next(8));
        // Newest first: a scan in key or insertion order would not read them oldest first.
        await source.InsertAsync(later.OrderByDescending(d => d.Timestamp));
        var captures = Spawn(environment, Sys, "bigchain");

        await AwaitStoredAsync(captures, environment, [.. first, .. later]);
        var laterTimestamps = later.Select(d => d.Timestamp).ToHashSet();
        // The node's index follows the journal shortly after.
        await AwaitAssertAsync(() =>
        {
            // Eight blocks in two shards: at least one shard holds four, so the order is tested.
            var caughtUp = _harness.StoredTimestampsInJournalOrder().Select(r => r.Where(laterTimestamps.Contains).ToList()).ToList();
            Assert.Equal(later.Count, caughtUp.Sum(r => r.Count));
            Assert.All(caughtUp, shard => Assert.Equal(shard.Order(), shard));
        }, Patience);
        var scanned = 0L;
        foreach (var (replica, capture) in captures)
        {
            await AwaitAssertAsync(async () => Assert.Equal(CapturePhase.Live, (await StatusAsync(capture)).Phase), Patience);
            var status = await StatusAsync(capture);
            Assert.True(status.ScanFrom >= flushed[replica].Minus(TimeSpan.FromSeconds(5)), $"{replica} scanned from {status.ScanFrom}");
            Assert.Null(status.CatchUpFallback);
            Assert.Equal(later.Count(d => Expected(environment, replica, d)), status.RecordsCaptured);
            scanned += status.RecordsScanned;
        }
        // Each replica read only the new blocks of its own key range, not the ancient one: both the key range and the
        // timestamp as a number are filtered on the server.
        Assert.Equal(later.Count, scanned);
        Assert.Equal(ancient.Id, Assert.Single(_harness.Quarantine()).Id);
    }

    [Fact]
    public async Task Without_the_timestamp_index_the_catch_up_reads_the_key_range_captures_everything_and_says_so_once_per_replica()
    {
        await using var source = await LedgerSource.StartAsync();
        using var ledger = new SimulatedLedger("catch-up-range", WallNow - 300);
        var first = Blocks(ledger.Next(6));
        await source.InsertAsync(first);
        var environment = _harness.Environment(ledger.Federation, [source.Endpoint]);
        await CaptureUntilFlushedAsync(environment, first);

        ledger.NextTimestamp = WallNow - 2;
        var later = Blocks(ledger.Next(6));
        await source.InsertAsync(later);

        Dictionary<ReplicaId, IActorRef> captures = [];
        await EventFilter.Warning(contains: "the catch-up scan reads the whole key range of the shard").ExpectAsync(2, async () =>
        {
            captures = Spawn(environment, Sys, "bigchain");
            await AwaitStoredAsync(captures, environment, [.. first, .. later]);
        }, Patience);

        foreach (var (replica, capture) in captures)
        {
            // Stored before live: the scan's last batch is on disk before the source confirms the scan complete.
            await AwaitAssertAsync(async () => Assert.Equal(CapturePhase.Live, (await StatusAsync(capture)).Phase), Patience);
            var status = await StatusAsync(capture);
            Assert.Equal($"{source.Endpoint} has no block_timestamp index on bigchain.bigchain", status.CatchUpFallback);
            Assert.Equal(later.Count(d => Expected(environment, replica, d)), status.RecordsCaptured);
        }
    }

    [Fact]
    public async Task A_block_without_a_timestamp_committed_during_the_disconnect_reaches_quarantine()
    {
        await using var source = await LedgerSource.StartAsync();
        await source.CreateIndexAsync("bigchain", LedgerTables.BlockTimestampIndex);
        using var ledger = new SimulatedLedger("catch-up-untimed", WallNow - 300);
        var first = Blocks(ledger.Next(6));
        await source.InsertAsync(first);
        var environment = _harness.Environment(ledger.Federation, [source.Endpoint]);
        await CaptureUntilFlushedAsync(environment, first);

        ledger.NextTimestamp = WallNow - 2;
        var later = Blocks(ledger.Next(4));
        var untimed = new LedgerDocument("bigchain", "untimed-block", 0, """{"id":"untimed-block","block":{"transactions":[]}}"""u8.ToArray(), SimulatedFault.Malformed);
        await source.InsertAsync([.. later, untimed]);
        var captures = Spawn(environment, Sys, "bigchain");

        await AwaitStoredAsync(captures, environment, [.. first, .. later]);
        await AwaitAssertAsync(() => Assert.Contains(_harness.Quarantine(), q => q.Id == untimed.Id), Patience);
        var owner = captures[new ReplicaId("bigchain", environment.Keys.ShardOf(untimed.Id))];
        var status = await StatusAsync(owner);
        Assert.Equal(1, status.Quarantined);
        // reqlite cannot run the index scan over a block the index function fails on; the range scan reads it instead.
        Assert.StartsWith($"reading the block_timestamp index on {source.Endpoint} failed", status.CatchUpFallback);
    }

    [Fact]
    public async Task With_both_indexes_a_catch_up_reads_the_votes_of_the_disconnect_through_their_blocks_and_no_vote_on_an_older_block()
    {
        await using var source = await LedgerSource.StartAsync();
        await source.CreateIndexAsync("bigchain", LedgerTables.BlockTimestampIndex);
        await source.CreateIndexAsync("votes", LedgerTables.BlockAndVoterIndex);
        var (environment, first, later, lateVote, captures) = await VotesOfADisconnectAsync(source, "catch-up-votes");

        // The vote cast two hours after its block arrives too, through the reconciliation that follows every catch-up.
        await AwaitStoredAsync(captures, environment, [.. first, .. later, lateVote]);
        var scanned = 0L;
        foreach (var (_, capture) in captures)
        {
            await AwaitAssertAsync(async () => Assert.Equal(CapturePhase.Live, (await StatusAsync(capture)).Phase), Patience);
            var status = await StatusAsync(capture);
            Assert.Null(status.CatchUpFallback);
            scanned += status.RecordsScanned;
        }
        // The scans read only the new votes, each once, in its own shard, and not the late one: a key-range scan would
        // have read it (the next test).
        Assert.Equal(later.Count, scanned);
    }

    [Fact]
    public async Task Without_the_block_and_voter_index_a_catch_up_of_votes_reads_the_key_range_and_says_so()
    {
        await using var source = await LedgerSource.StartAsync();
        await source.CreateIndexAsync("bigchain", LedgerTables.BlockTimestampIndex);
        var (environment, first, later, lateVote, captures) = await VotesOfADisconnectAsync(source, "catch-up-votes-range");

        // The key range holds the late vote too.
        await AwaitStoredAsync(captures, environment, [.. first, .. later, lateVote]);
        foreach (var (_, capture) in captures)
            Assert.Equal($"{source.Endpoint} has no block_and_voter index on bigchain.votes", (await StatusAsync(capture)).CatchUpFallback);
    }

    [Fact]
    public async Task After_a_restart_the_catch_up_reads_only_the_new_records_through_the_indexes_not_the_tables()
    {
        await using var source = await LedgerSource.StartAsync();
        await source.CreateIndexAsync("bigchain", LedgerTables.BlockTimestampIndex);
        await source.CreateIndexAsync("votes", LedgerTables.BlockAndVoterIndex);
        await using var relay = new CountingRelay(source.Server.Host, source.Server.Port);
        using var ledger = new SimulatedLedger("catch-up-cost", WallNow - 7200);
        var captured = ledger.Next(500).Where(SimulatedLedger.IsStorable).ToList();
        await source.InsertAsync(captured);
        // Reconciliation follows every catch-up with costs of its own (ReconcileSpec, the reconcile benchmark); a long
        // interval keeps its periodic rounds out of what is counted.
        // Four replicas per table, whose catch-ups after the restart share one read per table (a generous join window:
        // the replicas start together, but this machine may be busy).
        var environment = _harness.Environment(ledger.Federation, [relay.Endpoint], shards: 4,
            extra: "reconcile.interval = 1d, capture.catch-up-join-window = 3s");
        await CaptureUntilFlushedAsync(environment, captured, "bigchain", "votes");
        var firstRead = relay.BytesFromSource;

        ledger.NextTimestamp = WallNow - 2;
        var later = ledger.Next(10).Where(SimulatedLedger.IsStorable).ToList();
        await source.InsertAsync(later);
        var (bytesAtRestart, queriesAtRestart) = (relay.BytesFromSource, relay.StartedQueries.Count);
        var captures = Spawn(environment, Sys, "bigchain", "votes");

        await AwaitStoredAsync(captures, environment, [.. captured, .. later]);
        var scanned = 0L;
        foreach (var (replica, capture) in captures)
        {
            await AwaitAssertAsync(async () => Assert.Equal(CapturePhase.Live, (await StatusAsync(capture)).Phase), Patience);
            var status = await StatusAsync(capture);
            Assert.Null(status.CatchUpFallback);
            scanned += status.RecordsScanned;
        }
        var read = relay.BytesFromSource - bytesAtRestart;
        var queries = relay.StartedQueries.Skip(queriesAtRestart).ToList();
        // The replicas of each table shared one read: the source was asked for its timestamp index once per table (the
        // blocks, and the votes' blocks), and for the votes on the new blocks once, not once per replica; it answered
        // with the new records only: each once, none of the 2,000 before.
        Assert.Equal(2, queries.Count(q => q.Contains("\"index\":\"block_timestamp\"", StringComparison.Ordinal)));
        Assert.Equal(1, queries.Count(q => q.Contains("\"index\":\"block_and_voter\"", StringComparison.Ordinal)));
        Assert.Equal(later.Count, scanned);
        var newBytes = later.Sum(d => (long)d.Json.Length);
        Assert.True(read < 10 * newBytes, $"the catch-up of {later.Count} new records ({newBytes} B of JSON) read {read} B from the source");
        Assert.True(read * 10 < firstRead, $"the catch-up read {read} B, the first capture of {captured.Count} records {firstRead} B");
    }

    /// <summary>
    /// Votes captured two hours ago (before the scan point minus the vote delay, 1 h by default) until flushed; then,
    /// with the node stopped, four rounds stamped now and a vote cast now on one of the old blocks written to
    /// <paramref name="source"/>; then <paramref name="whileStopped"/>, given the first votes and the late one; then the
    /// node's votes replicas started again.
    /// </summary>
    private async Task<(CaptureEnvironment Environment, List<LedgerDocument> First, List<LedgerDocument> Later, LedgerDocument LateVote,
        Dictionary<ReplicaId, IActorRef> Captures)> VotesOfADisconnectAsync(
        LedgerSource source, string seed, string extra = "", Func<LedgerSource, CaptureEnvironment, List<LedgerDocument>, LedgerDocument, Task>? whileStopped = null)
    {
        using var ledger = new SimulatedLedger(seed, WallNow - 7200);
        var first = ledger.Next(6);
        await source.InsertAsync(first);
        var environment = _harness.Environment(ledger.Federation, [source.Endpoint], extra: extra);
        await CaptureUntilFlushedAsync(environment, Votes(first), "votes");

        ledger.NextTimestamp = WallNow - 2;
        var later = ledger.Next(4);
        // Stamped now: the simulator's clock moved a second per document of the four rounds.
        ledger.NextTimestamp = WallNow - 2;
        var lateVote = ledger.LateVote(0, Blocks(first)[1]);
        await source.InsertAsync([.. later, lateVote]);
        if (whileStopped is not null) await whileStopped(source, environment, Votes(first), lateVote);
        return (environment, Votes(first), Votes(later), lateVote, Spawn(environment, Sys, "votes"));
    }

    [Fact]
    public Task After_a_catch_up_of_votes_through_their_blocks_the_watermark_passes_a_late_vote_only_once_it_is_held() =>
        WatermarkPassesTheLateVoteOnlyOnceHeldAsync("catch-up-votes-held");

    /// <summary>
    /// The source loses a vote of the late vote's shard that the replica holds, so that the shard's counts are equal
    /// while the replica lacks the late vote: the reconciliation that ends the hold must not take them for evidence.
    /// </summary>
    [Fact]
    public Task A_vote_the_source_lost_does_not_let_equal_counts_end_the_hold_before_the_late_vote_is_held() =>
        WatermarkPassesTheLateVoteOnlyOnceHeldAsync("catch-up-votes-held-lost", async (source, environment, first, lateVote) =>
        {
            var shard = environment.Keys.ShardOf(lateVote.Id);
            var lost = first.FirstOrDefault(v => environment.Keys.ShardOf(v.Id) == shard)
                ?? throw new InvalidOperationException($"no vote captured before the disconnect is in shard {shard}, the late vote's");
            await source.DeleteAsync("votes", lost.Id);
        });

    private async Task WatermarkPassesTheLateVoteOnlyOnceHeldAsync(
        string seed, Func<LedgerSource, CaptureEnvironment, List<LedgerDocument>, LedgerDocument, Task>? whileStopped = null)
    {
        await using var source = await LedgerSource.StartAsync();
        await source.CreateIndexAsync("bigchain", LedgerTables.BlockTimestampIndex);
        await source.CreateIndexAsync("votes", LedgerTables.BlockAndVoterIndex);
        // Reconciliation queries wait for their turn, one every five seconds for the node (a round asks three), so the
        // late vote arrives seconds after the scan completed, while checkpoints every 200 ms would move the watermark
        // past its timestamp within the 5 s margin.
        var (environment, first, later, lateVote, captures) = await VotesOfADisconnectAsync(source, seed,
            "reconcile.interval = 1d\nreconcile.queries-per-second = 0.2", whileStopped);
        var replica = new ReplicaId("votes", environment.Keys.ShardOf(lateVote.Id));
        var owner = captures[replica];
        var heldBefore = first.Concat(later).Count(d => Expected(environment, replica, d));
        var lateTime = Watermark.At(lateVote.Timestamp);

        var liveWithoutTheLateVote = 0;
        var claimedBeforeHeld = new List<string>();
        await AwaitAssertAsync(async () =>
        {
            var status = await StatusAsync(owner);
            // The flushed watermark claims that every record of the range stamped up to it is on disk.
            if (status.Flushed >= lateTime && status.StoredCount != heldBefore + 1)
                claimedBeforeHeld.Add($"the watermark {status.Flushed} covers the late vote stamped {lateVote.Timestamp}, but the journal holds {status.StoredCount} of {heldBefore + 1}");
            if (status.Phase == CapturePhase.Live && status.StoredCount == heldBefore)
                liveWithoutTheLateVote++;
            Assert.True(status.Flushed >= lateTime && status.StoredCount == heldBefore + 1, $"the watermark is at {status.Flushed}, {status.StoredCount} records held");
        }, Dilated(TimeSpan.FromSeconds(90)), Dilated(TimeSpan.FromMilliseconds(50)));

        Assert.Empty(claimedBeforeHeld);
        // The catch-up completed without the late vote (the scan does not select it) and the hold lasted until it came.
        Assert.True(liveWithoutTheLateVote > 0, "no status showed the replica live before the late vote was held");
        await AwaitStoredAsync(captures, environment, [.. first, .. later, lateVote]);
        Assert.Equal(later.Count(d => Expected(environment, replica, d)), (await StatusAsync(owner)).RecordsScanned);
    }

    [Fact]
    public async Task With_reconciliation_off_a_catch_up_of_votes_reads_the_key_range_so_that_a_late_vote_is_still_read()
    {
        await using var source = await LedgerSource.StartAsync();
        await source.CreateIndexAsync("bigchain", LedgerTables.BlockTimestampIndex);
        await source.CreateIndexAsync("votes", LedgerTables.BlockAndVoterIndex);
        var (environment, first, later, lateVote, captures) = await VotesOfADisconnectAsync(source, "catch-up-votes-unreconciled", "reconcile.enabled = off");

        await AwaitStoredAsync(captures, environment, [.. first, .. later, lateVote]);
        foreach (var (_, capture) in captures)
            Assert.StartsWith("reconciliation is off", (await StatusAsync(capture)).CatchUpFallback);
    }

    private static List<LedgerDocument> Blocks(IEnumerable<LedgerDocument> documents) => documents.Where(d => d.Table == "bigchain").ToList();

    private static List<LedgerDocument> Votes(IEnumerable<LedgerDocument> documents) => documents.Where(d => d.Table == "votes").ToList();

    /// <summary>
    /// Captures <paramref name="documents"/> in an actor system of its own until every replica's watermark is past the
    /// newest of them, then stops it: the next capture of the same data directory catches up from that watermark.
    /// </summary>
    private async Task<Dictionary<ReplicaId, Watermark>> CaptureUntilFlushedAsync(
        CaptureEnvironment environment, IReadOnlyList<LedgerDocument> documents, params string[] tables)
    {
        var newest = documents.Max(d => d.Timestamp);
        var system = ActorSystem.Create("before-disconnect", _harness.Config);
        var flushed = new Dictionary<ReplicaId, Watermark>();
        try
        {
            var captures = Spawn(environment, system, tables.Length == 0 ? ["bigchain"] : tables);
            await AwaitStoredAsync(captures, environment, documents, system);
            foreach (var (replica, capture) in captures)
            {
                // The point capture persisted for its next start, which it confirms after the journal flushed the watermark.
                await AwaitAssertAsync(async () =>
                {
                    var point = await CaptureHarness.CapturePointAsync(system, capture, AskTimeout);
                    Assert.True(point > Watermark.At(newest), $"{replica} confirmed {point}");
                    flushed[replica] = point;
                }, Patience);
                Assert.Null((await StatusAsync(capture)).CatchUpFallback);
            }
        }
        finally
        {
            await system.Terminate();
        }
        return flushed;
    }

    private Task AwaitStoredAsync(
        Dictionary<ReplicaId, IActorRef> captures, CaptureEnvironment environment, IReadOnlyList<LedgerDocument> documents, ActorSystem? system = null) =>
        CaptureReplicas.AwaitStoredAsync(this, captures, environment, documents, Patience, system);

    public new void Dispose()
    {
        base.Dispose();
        _harness.Dispose();
    }
}
