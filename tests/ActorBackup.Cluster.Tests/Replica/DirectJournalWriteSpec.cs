using ActorBackup.Admin.Contract;
using ActorBackup.Cluster.Records;
using ActorBackup.Cluster.Replica;
using ActorBackup.Cluster.Replica.Commands;
using ActorBackup.Cluster.Replica.Replies;
using ActorBackup.Cluster.Tests.Ingest;
using ActorBackup.Cluster.Tests.Repair;
using ActorBackup.Cluster.Verification;
using Akka.Actor;
using Akka.Configuration;

namespace ActorBackup.Cluster.Tests.Replica;

/// <summary>
/// Another process that reaches this node over Akka.Remote (not a member of its cluster, no TLS) sends writes straight
/// to a replica's journal by its path, as anyone who can open the node's port could: the journal takes none of them,
/// whatever sender the message claims, and says so in its log and in <c>actorbackup_records_rejected_total</c>.
/// </summary>
public sealed class DirectJournalWriteSpec : DilatedTestKit, IDisposable
{
    private static readonly ReplicaId Votes17 = new("votes", SpreadSamples.Shard);
    private static readonly TimeSpan AskTimeout = TimeSpan.FromSeconds(20);
    private const string Refusal = "replica-votes-017 takes writes only from its own node; send imports to import-receiver";
    private readonly ReplicaEnvironment _owner;
    private readonly ActorSystem _attacker;

    public DirectJournalWriteSpec() : this(new ReplicaEnvironment()) { }

    private DirectJournalWriteSpec(ReplicaEnvironment owner) : base(ImportReceiverSpec.OnLoopback(owner.Config), "owner")
    {
        _owner = owner;
        _attacker = ActorSystem.Create("attacker", ImportReceiverSpec.OnLoopback(ConfigurationFactory.Empty));
    }

    private string AttackerAddress => ((ExtendedActorSystem)_attacker).Provider.DefaultAddress.ToString();

    /// <summary>The replica, holding a few genuine votes its own node stored, and its path as another process names it.</summary>
    private async Task<(IActorRef Replica, ActorPath Remote, ReplicaStatus Before)> ReplicaWithVotes()
    {
        var replica = Sys.ActorOf(ReplicaActor.Props(Votes17, _owner.Options), "journal");
        await replica.Ask<RecordsStoredAck>(StoreRecords.Local(1, SpreadSamples.SignedVotes(0, 3)), AskTimeout);
        await replica.Ask<WatermarkAck>(AdvanceWatermark.Local(Watermark.At(SpreadSamples.FirstTimestamp + 2)), AskTimeout);
        var owner = ((ExtendedActorSystem)Sys).Provider.DefaultAddress;
        var remote = new RootActorPath(owner) / "user" / "journal";
        return (replica, remote, await replica.Ask<ReplicaStatus>(GetReplicaStatus.Instance, AskTimeout));
    }

    private async Task AssertUnchanged(IActorRef replica, ReplicaStatus before)
    {
        var after = await replica.Ask<ReplicaStatus>(GetReplicaStatus.Instance, AskTimeout);
        Assert.Equal((before.StoredCount, before.QuarantinedCount, before.Digest, before.BackedUpTo, before.LastSequenceNr),
            (after.StoredCount, after.QuarantinedCount, after.Digest, after.BackedUpTo, after.LastSequenceNr));
    }

    [Fact]
    public async Task A_watermark_another_process_sends_to_a_journal_by_its_path_does_not_move_and_the_refusal_is_logged_and_counted()
    {
        var (replica, remote, before) = await ReplicaWithVotes();

        object reply = null!;
        await EventFilter.Warning(start: $"replica-votes-017: refused to move the watermark to {Watermark.At(4102444800)} (1 records) for {AttackerAddress}/temp/")
            .ExpectOneAsync(async () => reply = await _attacker.ActorSelection(remote).Ask<object>(new AdvanceWatermark(Watermark.At(4102444800)), AskTimeout));

        Assert.Equal(new BatchRejected(0, Refusal), reply);
        await AssertUnchanged(replica, before);
        Assert.Equal(Watermark.At(SpreadSamples.FirstTimestamp + 2), before.BackedUpTo);
        Assert.Equal(1, RejectedRecords.Get(Sys).Of(RejectedRecords.DirectWrite, AttackerAddress));
        Assert.Contains($"actorbackup_records_rejected_total{{source=\"direct-write\",sender=\"{AttackerAddress}\"}} 1\n", RejectedRecords.Get(Sys).Prometheus());
    }

    [Fact]
    public async Task Forged_records_another_process_sends_to_a_journal_as_verified_are_not_stored_and_the_refusal_is_counted()
    {
        var (replica, remote, before) = await ReplicaWithVotes();
        var forged = SpreadSamples.AlteredAfterSigning(20);
        Assert.Equal(RecordVerdict.Verified, forged.Verdict);

        var reply = await _attacker.ActorSelection(remote).Ask<object>(new StoreRecords(9, [SpreadSamples.SignedVote(10), forged]), AskTimeout);

        Assert.Equal(new BatchRejected(9, Refusal), reply);
        await AssertUnchanged(replica, before);
        Assert.Equal(2, RejectedRecords.Get(Sys).Of(RejectedRecords.DirectWrite, AttackerAddress));
    }

    [Fact]
    public async Task Records_another_process_sends_to_a_journal_for_quarantine_are_not_kept()
    {
        var (replica, remote, before) = await ReplicaWithVotes();

        var reply = await _attacker.ActorSelection(remote).Ask<object>(new QuarantineRecords(5, [SpreadSamples.Forged(30)]), AskTimeout);

        Assert.Equal(new BatchRejected(5, Refusal), reply);
        await AssertUnchanged(replica, before);
        Assert.Equal(1, RejectedRecords.Get(Sys).Of(RejectedRecords.DirectWrite, AttackerAddress));
    }

    [Fact]
    public async Task A_write_from_another_process_that_names_an_actor_of_this_node_as_its_sender_is_refused_too()
    {
        var (replica, remote, before) = await ReplicaWithVotes();
        // The sender path names the journal itself, on this node: this node resolves it to its own local actor.
        var journalAsSeenByAttacker = await _attacker.ActorSelection(remote).ResolveOne(AskTimeout);

        _attacker.ActorSelection(remote).Tell(new AdvanceWatermark(Watermark.At(4102444800)), journalAsSeenByAttacker);
        _attacker.ActorSelection(remote).Tell(new StoreRecords(11, [SpreadSamples.AlteredAfterSigning(21)]), journalAsSeenByAttacker);

        // Counted under this node's own local address: the sender looked local, and still did not pass.
        var local = replica.Path.Address.ToString();
        await Testing.Eventually.Passes(() => Assert.Equal(2, RejectedRecords.Get(Sys).Of(RejectedRecords.DirectWrite, local)), TimeSpan.FromSeconds(20));
        await AssertUnchanged(replica, before);
    }

    [Fact]
    public async Task A_write_sent_through_a_type_name_serializer_with_this_process_own_origin_set_never_reaches_the_journal()
    {
        var (replica, remote, before) = await ReplicaWithVotes();
        // Akka's own JSON serializer rebuilds any type it is named, private constructors included; the sender here even
        // sets the one origin object of this test process, which only a serializer could carry over. A node no longer
        // reads that serializer's payloads at all (RefusingSerializer holds its id), so the write is dropped unread.
        var json = ActorSystem.Create("json-attacker", ImportReceiverSpec.OnLoopback(ConfigurationFactory.ParseString("""
            akka.actor.serializers.json = "Akka.Serialization.NewtonSoftJsonSerializer, Akka"
            akka.actor.serialization-settings.allow-unregistered-types = on
            akka.actor.serialization-bindings {
              "ActorBackup.Cluster.Replica.Commands.AdvanceWatermark, ActorBackup.Cluster" = json
            }
            """)));
        try
        {
            await Assert.ThrowsAsync<AskTimeoutException>(() =>
                json.ActorSelection(remote).Ask<object>(AdvanceWatermark.Local(Watermark.At(4102444800)), AskTimeout));

            await AssertUnchanged(replica, before);
        }
        finally
        {
            await json.Terminate();
        }
    }

    public new void Dispose()
    {
        _attacker.Terminate().Wait(Dilated(TimeSpan.FromSeconds(20)));
        base.Dispose();
        _owner.Dispose();
    }
}
