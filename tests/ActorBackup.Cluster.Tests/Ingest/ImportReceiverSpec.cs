using ActorBackup.Admin.Contract;
using ActorBackup.Cluster.Ingest;
using ActorBackup.Cluster.Ingest.Commands;
using ActorBackup.Cluster.Node;
using ActorBackup.Cluster.Reading;
using ActorBackup.Cluster.Records;
using ActorBackup.Cluster.Replica;
using ActorBackup.Cluster.Replica.Commands;
using ActorBackup.Cluster.Replica.Replies;
using ActorBackup.Cluster.Settings;
using ActorBackup.Cluster.Tests.Repair;
using ActorBackup.Cluster.Tests.Replica;
using ActorBackup.Cluster.Verification;
using Akka.Actor;
using Akka.Configuration;
using Akka.Streams;
using Akka.Streams.Dsl;

namespace ActorBackup.Cluster.Tests.Ingest;

/// <summary>
/// An importing node on loopback (its own actor system over Akka.Remote) writes to this node's replica through this
/// node's <see cref="ImportReceiver"/>, as <see cref="OwnerWriter"/> does for every owner but itself.
/// </summary>
public sealed class ImportReceiverSpec : DilatedTestKit, IDisposable
{
    private static readonly ReplicaId Votes17 = new("votes", SpreadSamples.Shard);
    private static readonly TimeSpan AskTimeout = TimeSpan.FromSeconds(20);
    private readonly ReplicaEnvironment _owner;
    private readonly ActorSystem _importer;

    public ImportReceiverSpec() : this(new ReplicaEnvironment()) { }

    private ImportReceiverSpec(ReplicaEnvironment owner) : base(OnLoopback(owner.Config), "owner")
    {
        _owner = owner;
        _importer = ActorSystem.Create("importer", OnLoopback(ConfigurationFactory.Empty));
    }

    /// <summary><paramref name="config"/> over Akka.Remote on loopback (plain remoting, no cluster), on a free port.</summary>
    internal static Config OnLoopback(Config config) =>
        ConfigurationFactory.ParseString("""
            akka.actor.provider = remote
            akka.remote.dot-netty.tcp { hostname = "127.0.0.1", port = 0 }
            """).WithFallback(config).WithFallback(BackupConfig.Reference).WithFallback(ActorMaterializer.DefaultConfig());

    [Fact]
    public async Task A_forged_vote_another_node_imports_as_verified_is_quarantined_here_with_that_node_named_and_counted()
    {
        var replica = Sys.ActorOf(ReplicaActor.Props(Votes17, _owner.Options), "replica-votes-017");
        var options = IngestOptions.From(_owner.Settings) with { Validator = SpreadSamples.Validator() };
        Sys.ActorOf(ImportReceiver.Props(options, _ => replica.Path), NodeActorPaths.ImportReceiver);
        var genuine = SpreadSamples.SignedVotes(0, 20);
        var forged = SpreadSamples.AlteredAfterSigning(20);
        var owner = ((ExtendedActorSystem)Sys).Provider.DefaultAddress;
        var importer = ((ExtendedActorSystem)_importer).Provider.DefaultAddress;

        var ack = await _importer.ActorSelection(NodeActorPaths.ImportReceiverOf(owner))
            .Ask<object>(new StoreRecords(1, [.. genuine, forged]), AskTimeout);

        Assert.Equal(new RecordsStoredAck(1, 20, 0), ack);
        var status = await replica.Ask<ReplicaStatus>(GetReplicaStatus.Instance, AskTimeout);
        Assert.Equal((20L, 1L), (status.StoredCount, status.QuarantinedCount));
        var quarantined = Assert.Single(await new ReplicaReader(Sys).Quarantined(Votes17).RunWith(Sink.Seq<QuarantineEntry>(), Sys.Materializer()));
        Assert.Equal((forged.Id, "signature-mismatch"), (quarantined.Id, quarantined.ReasonCode));
        Assert.StartsWith($"received by import from {importer} as Verified record {forged.Id}: ", quarantined.Message);
        Assert.Equal(1, RejectedRecords.Get(Sys).Of("import", importer.ToString()));
        Assert.Contains($"actorbackup_records_rejected_total{{source=\"import\",sender=\"{importer}\"}} 1\n", RejectedRecords.Get(Sys).Prometheus());
    }

    [Fact]
    public async Task A_node_without_federation_keys_refuses_records_another_node_imports()
    {
        Sys.ActorOf(ImportReceiver.Props(IngestOptions.From(_owner.Settings)), NodeActorPaths.ImportReceiver);
        var owner = ((ExtendedActorSystem)Sys).Provider.DefaultAddress;

        var reply = await _importer.ActorSelection(NodeActorPaths.ImportReceiverOf(owner))
            .Ask<object>(new StoreRecords(7, SpreadSamples.SignedVotes(0, 1)), AskTimeout);

        Assert.Equal(new BatchRejected(7, "this node has no federation key file (actorbackup.federation-keys), so it cannot verify imported records"), reply);
    }

    /// <summary>A replica here holding five genuine votes, the receiver before it, and the receiver's path as the importer names it.</summary>
    private async Task<(IActorRef Replica, ActorPath Receiver)> ReceiverBeforeFiveVotes()
    {
        var replica = Sys.ActorOf(ReplicaActor.Props(Votes17, _owner.Options), "replica-votes-017");
        await replica.Ask<RecordsStoredAck>(StoreRecords.Local(1, SpreadSamples.SignedVotes(0, 5)), AskTimeout);
        Sys.ActorOf(ImportReceiver.Props(IngestOptions.From(_owner.Settings), _ => replica.Path), NodeActorPaths.ImportReceiver);
        return (replica, NodeActorPaths.ImportReceiverOf(((ExtendedActorSystem)Sys).Provider.DefaultAddress));
    }

    [Fact]
    public async Task An_import_point_another_node_sends_raises_the_watermark_when_this_replica_holds_the_records_the_owners_were_found_to_hold()
    {
        var (replica, receiver) = await ReceiverBeforeFiveVotes();
        var at = Watermark.At(SpreadSamples.FirstTimestamp + 10);

        var reply = await _importer.ActorSelection(receiver)
            .Ask<object>(new RaiseImportPoint(Votes17, at, 5, SpreadSamples.DigestOf(SpreadSamples.SignedVotes(0, 5))), AskTimeout);

        Assert.Equal(new WatermarkAck(at), reply);
        Assert.Equal(at, (await replica.Ask<ReplicaStatus>(GetReplicaStatus.Instance, AskTimeout)).BackedUpTo);
    }

    [Fact]
    public async Task An_import_point_claiming_records_this_replica_does_not_hold_leaves_its_watermark_where_it_was()
    {
        var (replica, receiver) = await ReceiverBeforeFiveVotes();
        var at = Watermark.At(SpreadSamples.FirstTimestamp + 10);

        var reply = await _importer.ActorSelection(receiver)
            .Ask<object>(new RaiseImportPoint(Votes17, at, 6, SpreadSamples.DigestOf(SpreadSamples.SignedVotes(0, 6))), AskTimeout);

        Assert.Equal(new BatchRejected(0, $"replica-votes-017 here holds 5 verified records up to {at}, not the 6 the import's owners were found to hold"), reply);
        Assert.True((await replica.Ask<ReplicaStatus>(GetReplicaStatus.Instance, AskTimeout)).BackedUpTo.IsNone);
    }

    [Fact]
    public async Task An_import_point_with_the_right_count_but_other_records_leaves_the_watermark_where_it_was()
    {
        var (replica, receiver) = await ReceiverBeforeFiveVotes();
        var at = Watermark.At(SpreadSamples.FirstTimestamp + 10);

        var reply = await _importer.ActorSelection(receiver)
            .Ask<object>(new RaiseImportPoint(Votes17, at, 5, SpreadSamples.DigestOf(SpreadSamples.SignedVotes(1, 5))), AskTimeout);

        Assert.Equal(new BatchRejected(0, $"replica-votes-017 here holds 5 verified records up to {at}, not the 5 the import's owners were found to hold"), reply);
        Assert.True((await replica.Ask<ReplicaStatus>(GetReplicaStatus.Instance, AskTimeout)).BackedUpTo.IsNone);
    }

    [Fact]
    public async Task An_import_point_in_the_future_of_this_node_is_refused_whatever_the_replica_holds()
    {
        var (replica, receiver) = await ReceiverBeforeFiveVotes();
        var at = Watermark.At(DateTimeOffset.UtcNow.AddDays(1).ToUnixTimeSeconds());

        var reply = await _importer.ActorSelection(receiver)
            .Ask<object>(new RaiseImportPoint(Votes17, at, 5, SpreadSamples.DigestOf(SpreadSamples.SignedVotes(0, 5))), AskTimeout);

        var rejected = Assert.IsType<BatchRejected>(reply);
        Assert.StartsWith($"{at} is in the future of this node (", rejected.Reason);
        Assert.True((await replica.Ask<ReplicaStatus>(GetReplicaStatus.Instance, AskTimeout)).BackedUpTo.IsNone);
    }

    public new void Dispose()
    {
        _importer.Terminate().Wait(Dilated(TimeSpan.FromSeconds(20)));
        base.Dispose();
        _owner.Dispose();
    }
}
