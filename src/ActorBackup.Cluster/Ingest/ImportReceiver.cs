using System.Collections.Concurrent;
using ActorBackup.Cluster.Ingest.Commands;
using ActorBackup.Cluster.Node;
using ActorBackup.Cluster.Replica;
using ActorBackup.Cluster.Replica.Commands;
using ActorBackup.Cluster.Replica.Replies;
using ActorBackup.Cluster.Verification;
using Akka.Actor;
using Akka.Event;

namespace ActorBackup.Cluster.Ingest;

/// <summary>
/// Where another node's import writes to this node's replicas (<see cref="OwnerWriter"/>): every record it is sent
/// as verified is verified here against the federation's keys before this node's journal stores it, since the
/// importing node's word is not evidence. A record that fails is quarantined here with the sender named, logged, and
/// counted as <c>actorbackup_records_rejected_total{source="import"}</c>. Records the importing node itself
/// quarantined are kept in quarantine as sent: that claims nothing. An import on this node writes to its own journals
/// directly, having verified its records once already.
/// <para>
/// An import's point (<see cref="RaiseImportPoint"/>) reaches a journal only through here, for every owner this node
/// included: the watermark moves only when the point is not in this node's future and this replica holds exactly the
/// verified records up to it that the owners were found to hold. That the archive had no other record up to the point
/// rests on the importing node, a member of the cluster, so it is only as trustworthy as the cluster's transport
/// (actorbackup.tls keeps other processes from joining or sending).
/// </para>
/// <para>
/// The journal takes writes only from this process (<see cref="LocalOrigin"/>), so whatever this actor passes on is a
/// new command it made after its checks, asked with its own temporary sender, never the remote sender's message.
/// </para>
/// </summary>
public sealed class ImportReceiver : ReceiveActor
{
    private readonly IngestOptions _options;
    private readonly Func<ReplicaId, ActorPath> _journalOf;
    private readonly ConcurrentDictionary<ReplicaId, ReceivedRecords> _verifiers = new();
    private readonly RejectedRecords _rejected = RejectedRecords.Get(Context.System);
    private readonly ILoggingAdapter _log = Context.GetLogger();

    public ImportReceiver(IngestOptions options, Func<ReplicaId, ActorPath>? journalOf)
    {
        _options = options;
        var self = ((ExtendedActorSystem)Context.System).Provider.DefaultAddress;
        _journalOf = journalOf ?? (replica => NodeActorPaths.JournalOf(self, replica));
        Receive<StoreRecords>(Store);
        Receive<QuarantineRecords>(Quarantine);
        Receive<RaiseImportPoint>(Raise);
    }

    /// <summary>
    /// The receiver of a node; <paramref name="journalOf"/> finds a replica's journal on this node (by default its
    /// path under the placement actor, <see cref="NodeActorPaths.JournalOf"/>).
    /// </summary>
    public static Props Props(IngestOptions options, Func<ReplicaId, ActorPath>? journalOf = null) =>
        Akka.Actor.Props.Create(() => new ImportReceiver(options, journalOf));

    private ReplicaId ReplicaOf(Records.CapturedRecord record) => new(record.Table, _options.Keys.ShardOf(record.Id));

    private void Store(StoreRecords batch)
    {
        var sender = Sender;
        if (_options.Validator is not { } validator)
        {
            sender.Tell(new BatchRejected(batch.BatchId, "this node has no federation key file (actorbackup.federation-keys), so it cannot verify imported records"));
            return;
        }
        if (batch.Records.Count == 0)
        {
            sender.Tell(new RecordsStoredAck(batch.BatchId, 0, 0));
            return;
        }
        var replica = ReplicaOf(batch.Records[0]);
        var verifier = _verifiers.GetOrAdd(replica, r => new ReceivedRecords(r, _options.Keys, validator));
        var from = sender.Path.Address.ToString();
        var journal = Context.ActorSelection(_journalOf(replica));
        var timeout = _options.OwnerTimeout;
        var (rejected, log) = (_rejected, _log);
        Task.Run(async () =>
        {
            var checkedRecords = verifier.Check(batch.Records, $"received by import from {from}");
            if (checkedRecords.Rejected.Count > 0)
            {
                var quarantined = await journal.Ask<object>(QuarantineRecords.Local(batch.BatchId, checkedRecords.Rejected), timeout);
                if (quarantined is not RecordsQuarantinedAck) return quarantined;
                rejected.Add("import", from, checkedRecords.Rejected.Count);
                var first = checkedRecords.Rejected[0];
                log.Warning("{0}: {1} records imported by {2} failed verification here and were quarantined; first: {3}: {4}: {5}",
                    replica, checkedRecords.Rejected.Count, from, first.Record.Id, first.ReasonCode, first.Message);
            }
            return checkedRecords.Verified.Count == 0
                ? new RecordsStoredAck(batch.BatchId, 0, 0)
                : await journal.Ask<object>(StoreRecords.Local(batch.BatchId, checkedRecords.Verified), timeout);
        }).PipeTo(sender, failure: e => new BatchRejected(batch.BatchId, $"replica {replica} here did not store the records: {e.Message}"));
    }

    private void Quarantine(QuarantineRecords batch)
    {
        if (batch.Records.Count == 0)
        {
            Sender.Tell(new RecordsQuarantinedAck(batch.BatchId, 0, 0));
            return;
        }
        var replica = ReplicaOf(batch.Records[0].Record);
        Context.ActorSelection(_journalOf(replica)).Ask<object>(QuarantineRecords.Local(batch.BatchId, batch.Records), _options.OwnerTimeout)
            .PipeTo(Sender, failure: e => new BatchRejected(batch.BatchId, $"replica {replica} here did not quarantine the records: {e.Message}"));
    }

    private void Raise(RaiseImportPoint point)
    {
        var sender = Sender;
        var now = DateTimeOffset.UtcNow;
        if (point.At.Seconds > now.ToUnixTimeSeconds())
        {
            Refuse(sender, point, $"{point.At} is in the future of this node ({now:yyyy-MM-dd'T'HH:mm:ss'Z'})");
            return;
        }
        var journal = Context.ActorSelection(_journalOf(point.Replica));
        var timeout = _options.OwnerTimeout;
        var log = _log;
        Task.Run(async () =>
        {
            var status = await journal.Ask<ReplicaStatus>(GetReplicaStatus.Instance, timeout);
            if (status.BackedUpTo >= point.At) return new WatermarkAck(status.BackedUpTo);
            var held = await journal.Ask<DigestAt>(new GetDigestAt(point.At), timeout);
            if (held.Count != point.Count || held.Digest != point.Digest)
            {
                var reason = $"{point.Replica} here holds {held.Count} verified records up to {point.At}, not the {point.Count} the import's owners were found to hold";
                log.Warning("{0}: refused the import point {1} from {2}: {3}", point.Replica, point.At, sender.Path, reason);
                return new BatchRejected(0, reason);
            }
            return await journal.Ask<object>(AdvanceWatermark.Local(point.At), timeout);
        }).PipeTo(sender, failure: e => new BatchRejected(0, $"{point.Replica} here did not take the import point {point.At}: {e.Message}"));
    }

    private void Refuse(IActorRef sender, RaiseImportPoint point, string reason)
    {
        _log.Warning("{0}: refused the import point {1} from {2}: {3}", point.Replica, point.At, sender.Path, reason);
        sender.Tell(new BatchRejected(0, reason));
    }
}
