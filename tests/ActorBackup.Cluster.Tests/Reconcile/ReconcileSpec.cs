using System.Text.Json.Nodes;
using ActorBackup.Cluster.Capture;
using ActorBackup.Cluster.Capture.Pipeline;
using ActorBackup.Cluster.Capture.Queries;
using ActorBackup.Cluster.Capture.Replies;
using ActorBackup.Cluster.Node;
using ActorBackup.Cluster.Reading;
using ActorBackup.Cluster.Reconcile;
using ActorBackup.Cluster.Reconcile.Commands;
using ActorBackup.Cluster.Records;
using ActorBackup.Cluster.Replica;
using ActorBackup.Cluster.Replica.Commands;
using ActorBackup.Cluster.Replica.Replies;
using ActorBackup.Cluster.Tests.Capture;
using ActorBackup.Admin.Contract;
using ActorBackup.Sandbox;
using ActorBackup.Ledger.Json;
using Akka.Actor;
using Akka.Streams.Dsl;

using static ActorBackup.Cluster.Tests.Capture.CaptureReplicas;
namespace ActorBackup.Cluster.Tests.Reconcile;

/// <summary>
/// Reconciliation of capture replicas with a real reqlite source and a real SQLite journal: records a timestamp cannot
/// find (committed while the replica was down, with timestamps years older than its watermark) are found, verified and
/// stored, and a forged one is quarantined, never stored.
/// </summary>
public sealed class ReconcileSpec : DilatedTestKit, IDisposable
{
    private static readonly long ThreeYears = (long)TimeSpan.FromDays(3 * 365).TotalSeconds;
    private readonly CaptureHarness _harness;

    public ReconcileSpec() : this(new CaptureHarness())
    {
    }

    private ReconcileSpec(CaptureHarness harness) : base(harness.Config) => _harness = harness;

    private static long WallNow => DateTimeOffset.UtcNow.ToUnixTimeSeconds();

    private TimeSpan Patience => Dilated(TimeSpan.FromSeconds(40));

    /// <param name="listBelow">2000 compares each shard id by id at once; 1 splits down to ranges of one record first.</param>
    [Theory]
    [InlineData(2000)]
    [InlineData(1)]
    public async Task Records_committed_during_a_disconnect_with_timestamps_years_below_the_watermark_are_found_after_the_restart(int listBelow)
    {
        await using var source = await LedgerSource.StartAsync();
        using var ledger = new SimulatedLedger("late", WallNow - 300);
        var first = ledger.Next(6);
        await source.InsertAsync(first);
        var environment = _harness.Environment(ledger.Federation, [source.Endpoint], extra: $"reconcile.list-below = {listBelow}");
        var late = await CaptureThenCommitLateAsync(source, ledger, environment, first, "late-before");

        var restarted = Spawn(environment, Sys);

        await AwaitStoredAsync(restarted, environment, [.. first, .. late]);
        await AwaitAssertAsync(async () =>
        {
            var statuses = await Task.WhenAll(restarted.Values.Select(StatusAsync));
            Assert.All(statuses, s => Assert.NotNull(s.Reconcile!.ReconciledAt));
            Assert.Equal(late.Count, statuses.Sum(s => s.Reconcile!.Found));
        }, Patience);
        foreach (var (replica, capture) in restarted)
        {
            var status = await StatusAsync(capture);
            // The catch-up scan did not reach them: only reconciliation did.
            Assert.Equal(0, status.RecordsCaptured);
            Assert.Equal(late.Count(d => Expected(environment, replica, d)), status.Reconcile!.Found);
            Assert.Null(status.Reconcile.LastError);
            Assert.Equal(0, status.Reconcile.SourceLacks);
        }
        var reconciledRecords = ReconciledRecords.Get(Sys);
        Assert.Equal(late.Count(d => d.Table == "bigchain"), reconciledRecords.Of("bigchain"));
        Assert.Equal(late.Count(d => d.Table == "votes"), reconciledRecords.Of("votes"));
        Assert.Contains($"{ReconciledRecords.MetricName}{{table=\"votes\"}} {late.Count(d => d.Table == "votes")}", reconciledRecords.Prometheus());
    }

    /// <summary>The same story with reconciliation off: the late records are never captured. What the test above guards against.</summary>
    [Fact]
    public async Task Without_reconciliation_the_late_records_are_never_captured()
    {
        await using var source = await LedgerSource.StartAsync();
        using var ledger = new SimulatedLedger("late-off", WallNow - 300);
        var first = ledger.Next(6);
        await source.InsertAsync(first);
        var environment = _harness.Environment(ledger.Federation, [source.Endpoint], extra: "reconcile.enabled = off");
        var late = await CaptureThenCommitLateAsync(source, ledger, environment, first, "late-off-before");

        var restarted = Spawn(environment, Sys);

        await AwaitStoredAsync(restarted, environment, first);
        await AwaitAssertAsync(async () =>
            Assert.All(await Task.WhenAll(restarted.Values.Select(StatusAsync)), s => Assert.Equal(CapturePhase.Live, s.Phase)), Patience);
        await Task.Delay(Dilated(TimeSpan.FromSeconds(2)));
        foreach (var (replica, capture) in restarted)
        {
            var journal = await JournalAsync(Sys, capture);
            Assert.Equal(first.Count(d => Expected(environment, replica, d)), journal.StoredCount);
            Assert.Null((await StatusAsync(capture)).Reconcile);
        }
        Assert.NotEmpty(late);
    }

    /// <summary>
    /// The source loses records the replicas hold and gains as many others, stamped years below the watermark: each table's
    /// count on the source is what its replica holds, and only the checksum of the ids tells the sets apart.
    /// </summary>
    [Fact]
    public async Task Records_the_source_gained_are_found_when_as_many_it_lost_keep_the_counts_equal()
    {
        await using var source = await LedgerSource.StartAsync();
        using var ledger = new SimulatedLedger("swapped", WallNow - 300);
        var first = ledger.Next(6);
        await source.InsertAsync(first);
        var environment = _harness.Environment(ledger.Federation, [source.Endpoint], shards: 1);
        var gained = await CaptureThenCommitLateAsync(source, ledger, environment, first, "swapped-before");
        var lost = first.GroupBy(d => d.Table).SelectMany(t => t.Take(gained.Count(g => g.Table == t.Key))).ToList();
        foreach (var document in lost)
            await source.DeleteAsync(document.Table, document.Id);
        Assert.All(gained.GroupBy(d => d.Table), t => Assert.Equal(t.Count(), lost.Count(d => d.Table == t.Key)));

        var restarted = Spawn(environment, Sys);

        await AwaitStoredAsync(restarted, environment, [.. first, .. gained]);
        foreach (var (replica, capture) in restarted)
        {
            await AwaitAssertAsync(async () =>
            {
                var status = await StatusAsync(capture);
                Assert.NotNull(status.Reconcile?.ReconciledAt);
                Assert.Equal(gained.Count(d => d.Table == replica.Table), status.Reconcile.Found);
            }, Patience);
            var reconcile = (await StatusAsync(capture)).Reconcile!;
            Assert.Equal(lost.Count(d => d.Table == replica.Table), reconcile.SourceLacks);
            Assert.Null(reconcile.LastError);
        }
    }

    [Fact]
    public async Task A_forged_vote_committed_during_a_disconnect_is_quarantined_by_reconciliation_never_stored()
    {
        await using var source = await LedgerSource.StartAsync();
        using var ledger = new SimulatedLedger("forged", WallNow - 300);
        var first = ledger.Next(4);
        await source.InsertAsync(first);
        var environment = _harness.Environment(ledger.Federation, [source.Endpoint], shards: 1);
        LedgerDocument? forged = null;
        var late = await CaptureThenCommitLateAsync(source, ledger, environment, first, "forged-before", documents =>
        {
            forged = Forge(documents.First(d => d.Table == "votes"));
            return documents.Select(d => d.Id == forged.Id ? forged : d).ToList();
        });
        var genuine = late.Where(d => d.Id != forged!.Id).ToList();

        var restarted = Spawn(environment, Sys);

        await AwaitStoredAsync(restarted, environment, [.. first, .. genuine]);
        var votes = restarted[new ReplicaId("votes", 0)];
        await AwaitAssertAsync(() => Assert.Contains(_harness.Quarantine(), q => q.Id == forged!.Id), Patience);
        var journal = await JournalAsync(Sys, votes);
        Assert.Equal(first.Count(d => d.Table == "votes") + genuine.Count(d => d.Table == "votes"), journal.StoredCount);
        Assert.Equal(1, journal.QuarantinedCount);
        // Held only in quarantine, the forged vote is not taken as held: the next round fetches the source's document again,
        // finds it fails verification as the one in quarantine does, and stores and quarantines nothing new.
        var outcome = await votes.Ask<ReconcileOutcome>(new ReconcileNow("requested", Answer: true), Patience);
        Assert.Null(outcome.Error);
        Assert.Equal(0, outcome.Found);
        Assert.Equal(0, outcome.Quarantined);
        Assert.Equal(journal.StoredCount + 1, outcome.SourceRecords);
    }

    /// <summary>
    /// A sibling (as repair would) hands the replica a forgery under the id of a vote the source will hold; it fails
    /// verification and is quarantined. Reconciliation must not take it for the source's vote.
    /// </summary>
    [Fact]
    public async Task A_forgery_a_sibling_left_in_quarantine_under_a_genuine_id_does_not_stand_for_the_sources_record()
    {
        await using var source = await LedgerSource.StartAsync();
        using var ledger = new SimulatedLedger("planted", WallNow - 300);
        var first = ledger.Next(4);
        await source.InsertAsync(first);
        var environment = _harness.Environment(ledger.Federation, [source.Endpoint], shards: 1);
        LedgerDocument? target = null;
        var late = await CaptureThenCommitLateAsync(source, ledger, environment, first, "planted-before", beforeStop: async (system, captures, round) =>
        {
            target = round.First(d => d.Table == "votes");
            await PlantAsync(system, captures, target, "bad-signature", "offered by a sibling");
        });

        var restarted = Spawn(environment, Sys);

        await AwaitStoredAsync(restarted, environment, [.. first, .. late]);
        var votes = restarted[new ReplicaId("votes", 0)];
        Assert.Contains(_harness.Quarantine(), q => q.Id == target!.Id);
        var outcome = await votes.Ask<ReconcileOutcome>(new ReconcileNow("requested", Answer: true), Patience);
        Assert.Null(outcome.Error);
        Assert.Equal(0, outcome.Found);
    }

    /// <summary>
    /// A sibling planted a forgery in quarantine under the id of a vote; the source then holds its own (different) forgery
    /// under that id, and the quarantine has room for the planted one only. The round fetches the source's document and
    /// the full quarantine drops it: the planted document under the same id must not pass for it.
    /// </summary>
    [Fact]
    public async Task A_forgery_planted_in_a_full_quarantine_does_not_stand_for_the_sources_dropped_document()
    {
        await using var source = await LedgerSource.StartAsync();
        using var ledger = new SimulatedLedger("planted-full", WallNow - 300);
        var first = ledger.Next(4);
        await source.InsertAsync(first);
        const string reason = "bad-signature", message = "offered by a sibling";
        // Room for exactly the planted entry (QuarantineEntry.Weight with prefix-bytes = 0).
        var room = 64 + first.First(d => d.Table == "votes").Id.Length + reason.Length + message.Length;
        var environment = _harness.Environment(ledger.Federation, [source.Endpoint], shards: 1,
            extra: $"quarantine {{ prefix-bytes = 0, max-bytes = {room} }}");
        LedgerDocument? target = null;
        LedgerDocument? forged = null;
        await CaptureThenCommitLateAsync(source, ledger, environment, first, "planted-full-before",
            alter: documents =>
            {
                forged = Forge(documents.First(d => d.Id == target!.Id));
                return [forged];
            },
            beforeStop: async (system, captures, round) =>
            {
                target = round.First(d => d.Table == "votes");
                Assert.Equal(room - 64 - reason.Length - message.Length, target.Id.Length);
                await PlantAsync(system, captures, target, reason, message);
            });

        var restarted = Spawn(environment, Sys);

        await AwaitStoredAsync(restarted, environment, first);
        var votes = restarted[new ReplicaId("votes", 0)];
        var outcome = await votes.Ask<ReconcileOutcome>(new ReconcileNow("requested", Answer: true), Patience);
        // The source's forgery was fetched and dropped by the full quarantine: what quarantine holds under its id is the
        // planted document alone, and the source's document is held nowhere here.
        Assert.Single(_harness.Quarantine(), q => q.Id == target!.Id);
        // What A_round_whose_quarantine_cannot_keep_a_forgery_fails_and_claims_no_point asks of a round whose quarantine is
        // full: it fails and claims no point. The planted document must not make the difference.
        Assert.True(outcome.Error is not null && outcome.ReconciledAt is null,
            $"the round claims reconciledAt {outcome.ReconciledAt} (error: {outcome.Error ?? "none"}) while the source's document under {target!.Id} is held nowhere here");
    }

    [Fact]
    public async Task A_round_whose_quarantine_cannot_keep_a_forgery_fails_and_claims_no_point()
    {
        await using var source = await LedgerSource.StartAsync();
        using var ledger = new SimulatedLedger("full", WallNow - 300);
        var first = ledger.Next(4);
        await source.InsertAsync(first);
        var environment = _harness.Environment(ledger.Federation, [source.Endpoint], shards: 1, extra: "quarantine { prefix-bytes = 0, max-bytes = 0 }");
        LedgerDocument? forged = null;
        await CaptureThenCommitLateAsync(source, ledger, environment, first, "full-before", documents =>
        {
            forged = Forge(documents.First(d => d.Table == "votes"));
            return [forged];
        });

        var restarted = Spawn(environment, Sys);

        var votes = restarted[new ReplicaId("votes", 0)];
        await AwaitAssertAsync(async () =>
            Assert.StartsWith("1 records that fail verification could not be kept in quarantine", (await StatusAsync(votes)).Reconcile?.LastError), Patience);
        var status = await StatusAsync(votes);
        Assert.Null(status.Reconcile!.ReconciledAt);
        Assert.DoesNotContain(_harness.Quarantine(), q => q.Id == forged!.Id);
    }

    [Fact]
    public async Task A_requested_round_of_a_replica_that_holds_everything_costs_one_tally_and_answers_in_the_sources_time()
    {
        await using var source = await LedgerSource.StartAsync();
        using var ledger = new SimulatedLedger("requested", WallNow - 300);
        var first = ledger.Next(4);
        var environment = _harness.Environment(ledger.Federation, [source.Endpoint], shards: 1);
        await source.InsertAsync(first);
        var captures = Spawn(environment, Sys);
        await AwaitStoredAsync(captures, environment, first);
        var blocks = captures[new ReplicaId("bigchain", 0)];
        await AwaitAssertAsync(async () => Assert.NotNull((await StatusAsync(blocks)).Reconcile!.ReconciledAt), Patience);
        var before = (await StatusAsync(blocks)).Reconcile!.ReconciledAt!.Value;

        var outcome = await blocks.Ask<ReconcileOutcome>(new ReconcileNow("requested", Answer: true), Patience);

        Assert.Null(outcome.Error);
        Assert.Equal(0, outcome.Found);
        Assert.Equal(first.Count(d => d.Table == "bigchain"), outcome.SourceRecords);
        Assert.True(outcome.ReconciledAt >= before, $"a requested round started at {outcome.ReconciledAt}, before the last one {before}");
        Assert.Equal(source.Endpoint, outcome.Source);
        Assert.Equal(1, outcome.Queries);
    }

    /// <summary>
    /// What the feed is delivering while a round lists is on the source before it is stored here. A round waits for capture
    /// before it fetches: the records capture stores meanwhile are neither fetched again nor counted as found, and those
    /// capture never stores are fetched once it stops storing any.
    /// </summary>
    [Fact]
    public async Task Records_capture_stores_while_a_round_waits_are_not_fetched_again_nor_counted_as_missed()
    {
        await using var source = await LedgerSource.StartAsync();
        using var ledger = new SimulatedLedger("in-flight", WallNow - 300);
        var blocks = ledger.Next(6).Where(d => d.Table == "bigchain").ToArray();
        await source.InsertAsync(blocks);
        var environment = _harness.Environment(ledger.Federation, [source.Endpoint], shards: 1, extra: "reconcile { capture-wait = 5s, interval = 1d }");
        var replica = new ReplicaId("bigchain", 0);
        var range = environment.Keys.Ranges[0];
        var classifier = new RecordClassifier(replica, range, environment.Validator);
        // No capture: the test stores what the feed would deliver, when it chooses.
        var journal = Sys.ActorOf(ReplicaActor.Props(replica, ReplicaOptions.From(environment.Settings)), "in-flight-journal");
        var flushes = CreateTestProbe();
        var relay = Sys.ActorOf(Props.Create(() => new FlushRelay(journal, flushes.Ref)), "in-flight-relay");
        var reconcile = Sys.ActorOf(ReconcileActor.Props(replica, range, relay, classifier, environment.Sessions!, ReconcileOptions.From(environment.Settings)),
            "in-flight-reconcile");
        var delivered = blocks.Take(blocks.Length / 2).ToArray();
        var neverDelivered = blocks.Skip(delivered.Length).Select(b => b.Id).Order(StringComparer.Ordinal).ToArray();

        var round = reconcile.Ask<ReconcileOutcome>(new ReconcileNow("requested", Answer: true), Patience);
        // The round has the index flushed as it starts, before it tallies the shard here and before it lists the shard's ids
        // here and on the source; a round that fetched at once would have it flushed again right after that listing, to
        // leave out what capture stored meanwhile. This one waits 5 s for capture first, and the feed delivers half the
        // blocks a second into that wait.
        for (var i = 0; i < 3; i++) await flushes.ExpectMsgAsync<FlushIndex>(Patience);
        await flushes.ExpectNoMsgAsync(TimeSpan.FromSeconds(1));
        var records = delivered.Select(d => Assert.IsType<ValidDocument>(classifier.Classify(new SourceDocument(d.Json, DocumentOrigin.Feed))).Record).ToArray();
        Assert.Equal(delivered.Length, Assert.IsType<RecordsStoredAck>(await journal.Ask<object>(StoreRecords.Local(1, records), Patience)).Stored);
        var outcome = await round;

        Assert.Null(outcome.Error);
        Assert.Equal(neverDelivered.Length, outcome.Found);
        Assert.Equal(neverDelivered, outcome.FoundIds.Order(StringComparer.Ordinal));
        var stamps = blocks.Skip(delivered.Length).Select(b => b.Timestamp).ToArray();
        Assert.Equal((stamps.Min(), stamps.Max()), outcome.FoundStamped);
        Assert.Contains($"stamped from {outcome.ReconciledAt - stamps.Min()} s to {outcome.ReconciledAt - stamps.Max()} s before the round began", ReconcileActor.Describe(outcome));
        Assert.Equal(blocks.Length, outcome.SourceRecords);
        await journal.Ask<IndexFlushed>(FlushIndex.Instance, Patience);
        var held = new StoredIdReader(ReconcileOptions.From(environment.Settings).IndexFile, null).Stored(replica, blocks.Select(b => b.Id));
        Assert.Equal(blocks.Length, held.Count);
    }

    /// <summary>
    /// A scan's checkpoints claim the feed's subscription until the feed has delivered what it queued during the scan; the
    /// round after the scan waits for a checkpoint past it, or it would fetch that queue and report it as missed. Played by
    /// an in-process source; nothing listens at its address, so the round, once started, fails and says so.
    /// </summary>
    [Fact]
    public async Task The_round_after_a_scan_waits_for_a_checkpoint_past_the_feeds_subscription()
    {
        using var ledger = new SimulatedLedger("after-queue", WallNow - 300);
        var blocks = ledger.Next(3).Where(d => d.Table == "bigchain").ToList();
        var subscribed = WallNow - 60;
        var source = new ScriptedSource(_ => Source.From<CaptureElement>(
                [new FeedOpened("scripted:1", subscribed), .. blocks.Select(b => new SourceDocument(b.Json, DocumentOrigin.Scan)),
                    new SourceReachable(subscribed), ScanCompleted.Instance])
            .Concat(Source.Single<CaptureElement>(new SourceReachable(subscribed + 30)).InitialDelay(TimeSpan.FromSeconds(8)))
            .Concat(Source.Never<CaptureElement>()));
        var environment = _harness.Environment(ledger.Federation, ["scripted:1"], shards: 1) with { Source = source };

        var capture = Sys.ActorOf(CaptureActor.Props(new ReplicaId("bigchain", 0), environment), "after-queue");

        // Checkpoints of the subscription's time are on disk (the watermark is that time minus the 5 s margin): no round.
        await AwaitAssertAsync(async () => Assert.Equal(Watermark.At(subscribed - 5), (await StatusAsync(capture)).Flushed), Patience);
        await Task.Delay(TimeSpan.FromSeconds(2));
        var before = (await StatusAsync(capture)).Reconcile!;
        Assert.Null(before.LastError);
        Assert.Null(before.ReconciledAt);
        // The live answer's checkpoint starts it.
        await AwaitAssertAsync(async () => Assert.NotNull((await StatusAsync(capture)).Reconcile!.LastError), Patience);
    }

    [Fact]
    public async Task No_round_runs_on_the_interval_before_capture_has_caught_up_once_until_three_intervals_passed()
    {
        // Nothing listens there: capture never completes a scan, and a round on the interval would fail and say so.
        var unreachable = $"127.0.0.1:{FreePort.Next()}";
        using var ledger = new SimulatedLedger("not-caught-up", WallNow - 300);
        var environment = _harness.Environment(ledger.Federation, [unreachable], shards: 1, extra: "reconcile.interval = 10s");
        var captures = Spawn(environment, Sys);

        // Longer than the interval: before capture caught up, the first round came at a random point of it.
        await Task.Delay(TimeSpan.FromSeconds(12));
        foreach (var (replica, capture) in captures)
        {
            var status = await StatusAsync(capture);
            Assert.NotEqual(CapturePhase.Live, status.Phase);
            Assert.Null(status.Reconcile!.LastError);
            Assert.Null(status.Reconcile.ReconciledAt);
        }

        // A capture that never catches up still gets its rounds, some intervals on (here they fail, as the source is away).
        // The first round comes from half an interval to one and a half after the rounds started.
        var latest = TimeSpan.FromSeconds(10 * (ReconcileActor.IntervalsBeforeStartingAnyway + 1.5) + 10);
        foreach (var capture in captures.Values)
            await AwaitAssertAsync(async () => Assert.NotNull((await StatusAsync(capture)).Reconcile!.LastError), latest);
    }

    [Fact]
    public async Task Once_capture_has_caught_up_rounds_run_on_the_interval()
    {
        await using var source = await LedgerSource.StartAsync();
        using var ledger = new SimulatedLedger("interval", WallNow - 300);
        var first = ledger.Next(4);
        await source.InsertAsync(first);
        var environment = _harness.Environment(ledger.Federation, [source.Endpoint], shards: 1, extra: "reconcile.interval = 10s");
        var captures = Spawn(environment, Sys, "bigchain");
        await AwaitStoredAsync(captures, environment, first);
        var blocks = captures.Values.Single();
        // The round after the catch-up scan, then one on the interval: from half an interval to one and a half later.
        await AwaitAssertAsync(async () => Assert.NotNull((await StatusAsync(blocks)).Reconcile!.ReconciledAt), Patience);
        var afterScan = (await StatusAsync(blocks)).Reconcile!.ReconciledAt!.Value;
        await AwaitAssertAsync(async () => Assert.True((await StatusAsync(blocks)).Reconcile!.ReconciledAt > afterScan), Patience);
        Assert.Null((await StatusAsync(blocks)).Reconcile!.LastError);
    }

    /// <summary>Passes every message to a replica and tells the watcher of each <see cref="FlushIndex"/>.</summary>
    private sealed class FlushRelay : ReceiveActor
    {
        public FlushRelay(IActorRef replica, IActorRef watcher) =>
            ReceiveAny(message =>
            {
                if (message is FlushIndex) watcher.Tell(message);
                replica.Forward(message);
            });
    }

    /// <summary>
    /// Captures <paramref name="first"/> in a system of its own, stops it, then commits one round with timestamps three years
    /// old; <paramref name="beforeStop"/> is given that system's capture actors and the round before it stops.
    /// </summary>
    private async Task<IReadOnlyList<LedgerDocument>> CaptureThenCommitLateAsync(
        LedgerSource source, SimulatedLedger ledger, CaptureEnvironment environment, IReadOnlyList<LedgerDocument> first, string systemName,
        Func<IReadOnlyList<LedgerDocument>, IReadOnlyList<LedgerDocument>>? alter = null,
        Func<ActorSystem, Dictionary<ReplicaId, IActorRef>, IReadOnlyList<LedgerDocument>, Task>? beforeStop = null)
    {
        var before = ActorSystem.Create(systemName, _harness.Config);
        IReadOnlyList<LedgerDocument> late;
        try
        {
            var captures = Spawn(environment, before);
            await AwaitStoredAsync(captures, environment, first, before);
            var newest = first.Max(d => d.Timestamp);
            foreach (var capture in captures.Values)
                await AwaitAssertAsync(async () => Assert.True((await StatusAsync(capture)).Flushed > Watermark.At(newest)), Patience);
            ledger.NextTimestamp = WallNow - ThreeYears;
            late = ledger.Next(2);
            if (beforeStop is not null) await beforeStop(before, captures, late);
        }
        finally
        {
            await before.Terminate();
        }
        if (alter is not null) late = alter(late);
        await source.InsertAsync(late);
        return late;
    }

    /// <summary>
    /// Quarantines in the votes replica of shard 0, as a sibling's repair would, a document of its own under the id of
    /// <paramref name="target"/>, and checks it was kept.
    /// </summary>
    private async Task PlantAsync(ActorSystem system, Dictionary<ReplicaId, IActorRef> captures, LedgerDocument target, string reason, string message)
    {
        var planted = Samples.Vote(target.Id, target.Timestamp) with { Verdict = RecordVerdict.Quarantined };
        var journal = system.ActorSelection(captures[new ReplicaId("votes", 0)].Path / NodeActorPaths.Journal);
        var ack = await journal.Ask<RecordsQuarantinedAck>(QuarantineRecords.Local(1, [new QuarantinedRecord(planted, reason, message)]), Patience);
        Assert.Equal(1, ack.Stored);
    }

    private static LedgerDocument Forge(LedgerDocument vote)
    {
        var json = JsonNode.Parse(vote.Json)!.AsObject();
        var signature = json["signature"]!.GetValue<string>();
        json["signature"] = (signature[0] == '2' ? "3" : "2") + signature[1..];
        return vote with { Json = CanonicalJson.ToBytes(json), Fault = Ledger.Simulation.SimulatedFault.ForgedSignature };
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
