using ActorBackup.Admin.Contract;
using ActorBackup.Cluster.Node;
using ActorBackup.Cluster.Reading;
using ActorBackup.Cluster.Records;
using ActorBackup.Cluster.Repair;
using ActorBackup.Cluster.Repair.Commands;
using ActorBackup.Cluster.Repair.Replies;
using ActorBackup.Cluster.Replica;
using ActorBackup.Cluster.Replica.Commands;
using ActorBackup.Cluster.Replica.Replies;
using ActorBackup.Cluster.Tests.Replica;
using ActorBackup.Cluster.Verification;
using ActorBackup.Sandbox;
using Akka.TestKit.TestActors;
using Akka.Actor;
using Akka.Configuration;
using Akka.Streams;
using Akka.Streams.Dsl;

namespace ActorBackup.Cluster.Tests.Repair;

/// <summary>
/// Two nodes on loopback, each an actor system with Akka.Remote over TCP, its own SQLite journal and
/// record index, a replica of votes shard 17 and its repair actor: everything between them goes
/// through our serializer and real frames.
/// </summary>
public sealed class RepairActorSpec : DilatedTestKit, IDisposable
{
    private static readonly ReplicaId Votes17 = new("votes", SpreadSamples.Shard);
    private static readonly TimeSpan AskTimeout = TimeSpan.FromSeconds(20);
    private readonly ReplicaEnvironment _envA;
    private readonly ReplicaEnvironment _envB;
    private readonly ActorSystem _systemB;

    public RepairActorSpec() : this(new ReplicaEnvironment(), new ReplicaEnvironment()) { }

    private RepairActorSpec(ReplicaEnvironment a, ReplicaEnvironment b) : base(OnLoopback(a), "node-a")
    {
        (_envA, _envB) = (a, b);
        _systemB = ActorSystem.Create("node-b", OnLoopback(b));
    }

    private static Config OnLoopback(ReplicaEnvironment env) =>
        ConfigurationFactory.ParseString("""
            akka.actor.provider = remote
            akka.remote.dot-netty.tcp { hostname = "127.0.0.1", port = 0 }
            """).WithFallback(env.Config).WithFallback(ActorMaterializer.DefaultConfig());

    private sealed record Node(IActorRef Replica, IActorRef Repair, Address Address);

    private static Node Start(
        ActorSystem system, ReplicaEnvironment env, TimeSpan? askTimeout = null, TimeSpan? interval = null, TimeSpan? notPlacedRetry = null,
        Func<DateTimeOffset?>? clock = null)
    {
        // An hour between rounds unless told: rounds in these tests are started by the test.
        var options = RepairOptions.From(env.Settings) with
        {
            Interval = interval ?? TimeSpan.FromHours(1), AskTimeout = askTimeout ?? AskTimeout, NotPlacedRetry = notPlacedRetry ?? TimeSpan.FromHours(1),
            Clock = clock ?? (() => DateTimeOffset.UtcNow),
        };
        var replica = system.ActorOf(ReplicaActor.Props(Votes17, env.Options), "replica-votes-017");
        var repair = system.ActorOf(RepairActor.Props(Votes17, replica, options, SpreadSamples.Verifier()), NodeActorPaths.RepairName(Votes17));
        return new Node(replica, repair, ((ExtendedActorSystem)system).Provider.DefaultAddress);
    }

    private (Node A, Node B) StartBoth() => (Start(Sys, _envA), Start(_systemB, _envB));

    private static ActorPath PathOf(Node sibling, Node self) => NodeActorPaths.OnNode(self.Repair.Path, sibling.Address);

    private static async Task Store(Node node, IEnumerable<CapturedRecord> records, int batch = 500)
    {
        var id = 0L;
        foreach (var chunk in records.Chunk(batch))
            Assert.IsType<RecordsStoredAck>(await node.Replica.Ask<object>(StoreRecords.Local(++id, chunk), AskTimeout));
    }

    /// <summary>The node's own capture established <paramref name="point"/> for its replica (as the capture actor tells it).</summary>
    private static async Task Attest(Node node, Watermark point)
    {
        await node.Replica.Ask<WatermarkAck>(AdvanceWatermark.Local(point), AskTimeout);
        node.Repair.Tell(new OwnPointEstablished(point));
    }

    private static async Task<ReplicaStatus> StatusOf(Node node) => await node.Replica.Ask<ReplicaStatus>(GetReplicaStatus.Instance, AskTimeout);

    private static async Task<RepairStatus> RepairStatusOf(Node node) => await node.Repair.Ask<RepairStatus>(GetRepairStatus.Instance, AskTimeout);

    private async Task AwaitHolding(Node node, IReadOnlyCollection<CapturedRecord> records, TimeSpan within) =>
        await AwaitAssertAsync(async () =>
        {
            var status = await StatusOf(node);
            Assert.Equal(records.Count, status.StoredCount);
            Assert.Equal(SpreadSamples.DigestOf(records), status.Digest);
        }, Dilated(within), TimeSpan.FromMilliseconds(200));

    private async Task<RepairStatus> AwaitRounds(Node node, long rounds)
    {
        RepairStatus? status = null;
        await AwaitAssertAsync(async () =>
        {
            status = await RepairStatusOf(node);
            // At least: with a short interval, rounds go on while the status is polled.
            Assert.True(status.Rounds + status.FailedRounds >= rounds, $"{status.Rounds + status.FailedRounds} rounds so far, waiting for {rounds}");
        }, Dilated(TimeSpan.FromSeconds(30)), TimeSpan.FromMilliseconds(100));
        return status!;
    }

    [Fact]
    public async Task A_sibling_missing_thirty_percent_of_the_shard_is_repaired_to_the_same_count_and_digest()
    {
        var (a, b) = StartBoth();
        var all = SpreadSamples.SignedVotes(0, 1000);
        await Store(a, all);
        await a.Replica.Ask<RecordsQuarantinedAck>(QuarantineRecords.Local(99, [SpreadSamples.Forged(5000), SpreadSamples.Forged(7)]), AskTimeout);
        await Attest(a, Watermark.At(SpreadSamples.FirstTimestamp + 999));
        await Store(b, all.Where((_, i) => i % 10 >= 3));

        b.Repair.Tell(new SiblingsChanged([PathOf(a, b)]));

        await AwaitHolding(b, all, TimeSpan.FromSeconds(30));
        var repair = await AwaitRounds(b, 1);
        Assert.Equal((1, 1L, 0L, 300L, 0L, 0L, (string?)null), (repair.Siblings, repair.Rounds, repair.FailedRounds, repair.Repaired, repair.Duplicates, repair.BulkFills, repair.LastError));
        var status = await StatusOf(b);
        Assert.Equal(0, status.QuarantinedCount);
        // The records are here, but this replica's own capture has confirmed no point: the sibling's word alone moves nothing.
        Assert.Equal(Watermark.None, status.BackedUpTo);
    }

    [Fact]
    public async Task A_new_empty_replica_is_filled_through_a_stream_ref_in_many_batches()
    {
        var (a, b) = StartBoth();
        var all = SpreadSamples.SignedVotes(0, 20_000);
        await Store(a, all);

        b.Repair.Tell(new SiblingsChanged([PathOf(a, b)]));

        await AwaitHolding(b, all, TimeSpan.FromSeconds(90));
        var repair = await AwaitRounds(b, 1);
        Assert.Equal((20_000L, 0L, 1L, (string?)null), (repair.Repaired, repair.Duplicates, repair.BulkFills, repair.LastError));
        // About 480 bytes of JSON per vote: 20,000 of them need at least 140 batches of 64 KiB on the
        // wire, regrouped here into journal writes of at most 500 records.
        Assert.InRange(repair.Batches, 140, 20_000);
        Assert.InRange((await StatusOf(b)).LastSequenceNr, 40, 20_000 / 100);
        Assert.Equal(all.Select(r => r.Id), await new ReplicaReader(_systemB).Stored(Votes17).Select(r => r.Id).RunWith(Sink.Seq<string>(), _systemB.Materializer()));
    }

    [Fact]
    public async Task Two_replicas_missing_different_records_both_end_up_whole_and_equal()
    {
        var (a, b) = StartBoth();
        var all = SpreadSamples.SignedVotes(0, 900);
        await Store(a, all.Where((_, i) => i % 3 != 0));
        await Store(b, all.Where((_, i) => i % 3 != 1));

        a.Repair.Tell(new SiblingsChanged([PathOf(b, a)]));
        b.Repair.Tell(new SiblingsChanged([PathOf(a, b)]));

        await AwaitHolding(a, all, TimeSpan.FromSeconds(30));
        await AwaitHolding(b, all, TimeSpan.FromSeconds(30));
        Assert.Equal((300L, 0L), ((await AwaitRounds(a, 1)).Repaired, (await AwaitRounds(a, 1)).BulkFills));
        Assert.Equal((300L, 0L), ((await AwaitRounds(b, 1)).Repaired, (await AwaitRounds(b, 1)).BulkFills));
    }

    [Fact]
    public async Task Quarantined_records_are_never_transferred_as_stored()
    {
        var (a, b) = StartBoth();
        var stored = SpreadSamples.SignedVotes(0, 200);
        var forged = Enumerable.Range(200, 10).Select(SpreadSamples.Forged).Append(SpreadSamples.Forged(3)).ToArray();
        await Store(a, stored);
        await a.Replica.Ask<RecordsQuarantinedAck>(QuarantineRecords.Local(99, forged), AskTimeout);

        b.Repair.Tell(new SiblingsChanged([PathOf(a, b)]));

        await AwaitHolding(b, stored, TimeSpan.FromSeconds(30));
        Assert.Equal(1, (await AwaitRounds(b, 1)).BulkFills);
        var status = await StatusOf(b);
        Assert.Equal((200L, 0L), (status.StoredCount, status.QuarantinedCount));
        var held = await new ReplicaReader(_systemB).Stored(Votes17).RunWith(Sink.Seq<CapturedRecord>(), _systemB.Materializer());
        Assert.DoesNotContain(held, r => forged.Any(f => f.Record.Json.Span.SequenceEqual(r.Json.Span)));
    }

    [Fact]
    public async Task Records_delivered_again_are_stored_once()
    {
        var (a, b) = StartBoth();
        var all = SpreadSamples.SignedVotes(0, 1000);
        await Store(a, all);
        await Store(b, all.Where((_, i) => i % 10 < 4));

        b.Repair.Tell(new SiblingsChanged([PathOf(a, b)]));
        await AwaitHolding(b, all, TimeSpan.FromSeconds(30));
        await AwaitRounds(b, 1);
        b.Repair.Tell(RunAntiEntropy.Instance);
        var repair = await AwaitRounds(b, 2);

        // Holding 40%, below the far-behind mark: the whole replica was streamed, the 400 held ones again.
        Assert.Equal((2L, 0L, 600L, 400L, 1L, (string?)null), (repair.Rounds, repair.FailedRounds, repair.Repaired, repair.Duplicates, repair.BulkFills, repair.LastError));
        Assert.Equal(1000, (await StatusOf(b)).StoredCount);
    }

    [Fact]
    public async Task A_request_for_another_replica_is_refused_with_one_line()
    {
        var (a, _) = StartBoth();

        var reply = await a.Repair.Ask<object>(new GetBucketDigests(new ReplicaId("votes", 3)), AskTimeout);

        Assert.Equal(new RepairRefused(new ReplicaId("votes", 3), "this repair actor serves replica-votes-017, not replica-votes-003"), reply);
    }

    [Fact]
    public async Task A_sibling_node_without_the_slot_answers_at_once_and_the_round_is_tried_again_soon()
    {
        var a = Start(Sys, _envA);
        var b = Start(_systemB, _envB, notPlacedRetry: TimeSpan.FromMilliseconds(300));
        var nowhere = new RootActorPath(a.Address) / "user" / "no-such-repair-actor";

        b.Repair.Tell(new SiblingsChanged([nowhere]));

        // Rounds are an hour apart in these tests: a second round within seconds is the retry.
        var repair = await AwaitRounds(b, 2);
        Assert.Equal(0, repair.Rounds);
        Assert.Equal($"{nowhere}: no repair actor for replica-votes-017 there (slot not placed there yet, or the node unreachable)", repair.LastError);
        b.Repair.Tell(new SiblingsChanged([PathOf(a, b)]));
        Assert.True((await AwaitRounds(b, repair.FailedRounds + 1)).Rounds >= 1);
    }

    [Fact]
    public async Task A_sibling_that_does_not_answer_fails_the_round_with_the_reason_and_the_actor_goes_on()
    {
        var a = Start(Sys, _envA);
        var b = Start(_systemB, _envB, askTimeout: TimeSpan.FromSeconds(1));
        var silent = Sys.ActorOf(Props.Create(() => new BlackHoleActor()), "silent-repair-actor");
        var silentPath = NodeActorPaths.OnNode(silent.Path, a.Address);

        b.Repair.Tell(new SiblingsChanged([silentPath]));

        var repair = await AwaitRounds(b, 1);
        Assert.Equal((0L, 1L), (repair.Rounds, repair.FailedRounds));
        Assert.Equal($"{silentPath}: no reply to GetBucketDigests within 1s (sibling down or overloaded)", repair.LastError);
        b.Repair.Tell(new SiblingsChanged([PathOf(a, b)]));
        Assert.Equal(1, (await AwaitRounds(b, 2)).Rounds);
    }

    [Fact]
    public async Task A_sibling_node_that_cannot_be_reached_is_answered_for_at_once_and_tried_again_soon()
    {
        var b = Start(_systemB, _envB, notPlacedRetry: TimeSpan.FromMilliseconds(300));
        var down = NodeActorPaths.OnNode(b.Repair.Path, new Address("akka.tcp", "node-a", "127.0.0.1", FreePort.Next()));

        b.Repair.Tell(new SiblingsChanged([down]));

        var repair = await AwaitRounds(b, 2);
        Assert.Equal(0, repair.Rounds);
        Assert.Equal($"{down}: no repair actor for replica-votes-017 there (slot not placed there yet, or the node unreachable)", repair.LastError);
    }

    [Fact]
    public async Task A_slot_placed_on_the_sibling_after_the_first_round_is_repaired_from_without_waiting_for_the_interval()
    {
        var b = Start(_systemB, _envB, notPlacedRetry: TimeSpan.FromMilliseconds(300));
        var addressA = ((ExtendedActorSystem)Sys).Provider.DefaultAddress;
        b.Repair.Tell(new SiblingsChanged([NodeActorPaths.OnNode(b.Repair.Path, addressA)]));
        await AwaitRounds(b, 1);
        var records = SpreadSamples.SignedVotes(0, 40);

        var replicaA = Sys.ActorOf(ReplicaActor.Props(Votes17, _envA.Options), "replica-votes-017");
        await Store(new Node(replicaA, ActorRefs.Nobody, addressA), records);
        Sys.ActorOf(RepairActor.Props(Votes17, replicaA, RepairOptions.From(_envA.Settings) with { Interval = TimeSpan.FromHours(1) }, SpreadSamples.Verifier()), NodeActorPaths.RepairName(Votes17));

        await AwaitHolding(b, records, TimeSpan.FromSeconds(20));
    }

    [Fact]
    public async Task Rounds_run_every_interval_so_records_the_sibling_gains_later_arrive_without_a_trigger()
    {
        var a = Start(Sys, _envA);
        var b = Start(_systemB, _envB, interval: TimeSpan.FromMilliseconds(300));
        b.Repair.Tell(new SiblingsChanged([PathOf(a, b)]));
        await AwaitRounds(b, 1);

        var later = SpreadSamples.SignedVotes(0, 50);
        await Store(a, later);

        await AwaitHolding(b, later, TimeSpan.FromSeconds(20));
        Assert.Equal(50, (await RepairStatusOf(b)).Repaired);
    }

    [Fact]
    public async Task A_sibling_path_to_another_shard_fails_the_round_with_the_refusal()
    {
        var (a, b) = StartBoth();
        var votes3 = new ReplicaId("votes", 3);
        var other = Sys.ActorOf(RepairActor.Props(votes3, a.Replica, RepairOptions.From(_envA.Settings), SpreadSamples.Verifier()), NodeActorPaths.RepairName(votes3));

        b.Repair.Tell(new SiblingsChanged([NodeActorPaths.OnNode(other.Path, a.Address)]));

        var repair = await AwaitRounds(b, 1);
        Assert.Equal($"{NodeActorPaths.OnNode(other.Path, a.Address)}: refused: this repair actor serves replica-votes-003, not replica-votes-017", repair.LastError);
    }

    [Fact]
    public async Task A_replica_listed_among_its_own_siblings_is_left_out()
    {
        var (a, b) = StartBoth();

        b.Repair.Tell(new SiblingsChanged([PathOf(a, b), PathOf(b, b), b.Repair.Path]));

        var repair = await AwaitRounds(b, 1);
        Assert.Equal((1, 1L, (string?)null), (repair.Siblings, repair.Rounds, repair.LastError));
    }

    [Fact]
    public async Task A_hostile_sibling_claiming_a_far_future_watermark_moves_this_one_no_further_than_its_own_capture_point()
    {
        var (a, b) = StartBoth();
        var all = SpreadSamples.SignedVotes(0, 100);
        await Store(a, all);
        await Attest(a, Watermark.At(4_102_444_800)); // 2100-01-01
        var own = Watermark.At(SpreadSamples.FirstTimestamp + 10);
        await Attest(b, own);

        b.Repair.Tell(new SiblingsChanged([PathOf(a, b)]));

        await AwaitHolding(b, all, TimeSpan.FromSeconds(30));
        await AwaitRounds(b, 1);
        Assert.Equal(own, (await StatusOf(b)).BackedUpTo);
    }

    [Fact]
    public async Task A_hostile_sibling_attesting_the_year_2100_over_empty_buckets_moves_no_watermark_of_a_replica_holding_recent_records()
    {
        var b = Start(_systemB, _envB);
        // This replica holds recent records, as one mid-scan does, and its node captures other replicas: neither shows
        // that it holds every record up to any point.
        await Store(b, SpreadSamples.SignedVotes(0, 100));
        var empty = Enumerable.Repeat(BucketDigest.Empty, IdBuckets.Count).ToArray();
        var hostile = Sys.ActorOf(Props.Create(() => new HostileSibling(new BucketDigests(Votes17, Watermark.At(4_102_444_800), empty))),
            NodeActorPaths.RepairName(Votes17));

        b.Repair.Tell(new SiblingsChanged([NodeActorPaths.OnNode(b.Repair.Path, ((ExtendedActorSystem)Sys).Provider.DefaultAddress)]));

        var repair = await AwaitRounds(b, 1);
        Assert.Equal((1L, 0L, (string?)null), (repair.Rounds, repair.FailedRounds, repair.LastError));
        Assert.Equal(Watermark.None, (await StatusOf(b)).BackedUpTo);
        Sys.Stop(hostile);
    }

    /// <summary>A sibling that answers every comparison with the digests it was given, and serves nothing.</summary>
    private sealed class HostileSibling : ReceiveActor
    {
        public HostileSibling(BucketDigests answer) => Receive<GetBucketDigests>(_ => Sender.Tell(answer));
    }

    [Fact]
    public async Task A_node_that_has_never_measured_its_source_raises_no_watermark_through_repair()
    {
        var a = Start(Sys, _envA);
        var b = Start(_systemB, _envB, clock: () => null);
        var all = SpreadSamples.SignedVotes(0, 100);
        await Store(a, all);
        var point = Watermark.At(SpreadSamples.FirstTimestamp + 99);
        await Attest(a, point);
        b.Repair.Tell(new OwnPointEstablished(point));

        b.Repair.Tell(new SiblingsChanged([PathOf(a, b)]));

        await AwaitHolding(b, all, TimeSpan.FromSeconds(30));
        await AwaitRounds(b, 1);
        Assert.Equal(Watermark.None, (await StatusOf(b)).BackedUpTo);
    }

    [Fact]
    public async Task A_sibling_an_hour_ahead_of_the_sources_time_raises_the_watermark_no_further_than_that_time_less_the_margin()
    {
        var now = SpreadSamples.FirstTimestamp + 10_000;
        var a = Start(Sys, _envA);
        var b = Start(_systemB, _envB, clock: () => DateTimeOffset.FromUnixTimeSeconds(now));
        var margin = (long)_envB.Settings.CatchUpMargin.TotalSeconds;
        // Its clock an hour ahead, the sibling holds a vote of that time and attests its own point an hour ahead; this
        // replica's own capture point is as far ahead, so only the source's time bounds the watermark.
        var all = SpreadSamples.SignedVotes(0, 100).Append(SpreadSamples.SignedVote(100, now + 3600)).ToArray();
        await Store(a, all);
        await Attest(a, Watermark.At(now + 3600 - margin));
        b.Repair.Tell(new OwnPointEstablished(Watermark.At(now + 3600 - margin)));

        b.Repair.Tell(new SiblingsChanged([PathOf(a, b)]));

        await AwaitHolding(b, all, TimeSpan.FromSeconds(30));
        await AwaitRounds(b, 1);
        Assert.Equal(Watermark.At(now - margin), (await StatusOf(b)).BackedUpTo);
    }

    [Fact]
    public async Task A_sibling_whose_watermark_came_from_repair_alone_attests_nothing_and_raises_no_watermark()
    {
        var (a, b) = StartBoth();
        var all = SpreadSamples.SignedVotes(0, 100);
        await Store(a, all);
        await a.Replica.Ask<WatermarkAck>(AdvanceWatermark.Local(Watermark.At(SpreadSamples.FirstTimestamp + 99)), AskTimeout);

        b.Repair.Tell(new SiblingsChanged([PathOf(a, b)]));

        await AwaitHolding(b, all, TimeSpan.FromSeconds(30));
        await AwaitRounds(b, 1);
        Assert.Equal(Watermark.None, (await StatusOf(b)).BackedUpTo);
    }

    [Fact]
    public async Task A_forged_vote_a_sibling_serves_as_verified_is_quarantined_here_with_the_sibling_named_and_counted()
    {
        var (a, b) = StartBoth();
        var genuine = SpreadSamples.SignedVotes(0, 50);
        var forged = SpreadSamples.AlteredAfterSigning(50);
        Assert.NotEqual(SpreadSamples.SignedVote(50).Json.ToArray(), forged.Json.ToArray());
        await Store(a, genuine.Append(forged));

        b.Repair.Tell(new SiblingsChanged([PathOf(a, b)]));

        await AwaitHolding(b, genuine, TimeSpan.FromSeconds(30));
        await AwaitRounds(b, 1);
        Assert.Equal(1, (await StatusOf(b)).QuarantinedCount);
        var quarantined = Assert.Single(await new ReplicaReader(_systemB).Quarantined(Votes17).RunWith(Sink.Seq<QuarantineEntry>(), _systemB.Materializer()));
        Assert.Equal((forged.Id, "signature-mismatch"), (quarantined.Id, quarantined.ReasonCode));
        Assert.StartsWith($"received by repair from {a.Address} as Verified record {forged.Id}: ", quarantined.Message);
        Assert.Equal(1, RejectedRecords.Get(_systemB).Of("repair", a.Address.ToString()));
        Assert.Contains($"actorbackup_records_rejected_total{{source=\"repair\",sender=\"{a.Address}\"}} 1\n", RejectedRecords.Get(_systemB).Prometheus());
        var held = await new ReplicaReader(_systemB).Stored(Votes17).RunWith(Sink.Seq<CapturedRecord>(), _systemB.Materializer());
        Assert.DoesNotContain(held, r => r.Id == forged.Id);
    }

    public new void Dispose()
    {
        _systemB.Terminate().Wait(Dilated(TimeSpan.FromSeconds(20)));
        base.Dispose();
        _envA.Dispose();
        _envB.Dispose();
    }
}
