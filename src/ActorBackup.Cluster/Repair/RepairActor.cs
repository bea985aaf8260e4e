using ActorBackup.Admin.Contract;
using ActorBackup.Cluster.Messages;
using ActorBackup.Cluster.Node;
using ActorBackup.Cluster.Reading;
using ActorBackup.Cluster.Replica;
using ActorBackup.Cluster.Replica.Commands;
using ActorBackup.Cluster.Replica.Replies;
using ActorBackup.Cluster.Repair.Commands;
using ActorBackup.Cluster.Repair.Replies;
using ActorBackup.Cluster.Serialization;
using ActorBackup.Cluster.Verification;
using Akka.Actor;
using Akka.Event;
using Akka.Streams;
using Akka.Streams.Dsl;

namespace ActorBackup.Cluster.Repair;

/// <summary>
/// Anti-entropy for one replica on this node. It answers its siblings' requests about the local
/// replica (bucket digests, bucket ids, record streams), and every
/// <see cref="RepairOptions.Interval"/>, on <see cref="SiblingsChanged"/> and on
/// <see cref="RunAntiEntropy"/> compares the local replica with each sibling in turn and pulls what
/// is missing here (<see cref="RepairPlanner"/>). Repair is pull-only: each replica's own round
/// fills it, so two replicas missing different records both end up whole. Every record a sibling sends is verified
/// here (<see cref="ReceivedRecords"/>); the point this replica offers its siblings is only the one it established by
/// its own evidence (<see cref="OwnPointEstablished"/>), never a watermark it was given by repair.
/// </summary>
/// <remarks>
/// Every node must start the repair actor of a replica under the same name
/// (<see cref="NodeActorPaths.RepairName"/>) and the same parent, so that a sibling's path is this actor's path with the
/// sibling's address (<see cref="NodeActorPaths.OnNode"/>). It reads the local replica through the journal
/// and the record index, and writes to it only through the replica actor (<see cref="StoreRecords"/>,
/// <see cref="AdvanceWatermark"/>), so capture and repair never write past each other.
/// </remarks>
public sealed class RepairActor : ReceiveActor, IWithTimers
{
    private readonly ReplicaId _replica;
    private readonly IActorRef _local;
    private readonly RepairOptions _options;
    private readonly IdBuckets _buckets;
    private readonly StoredIdReader _index;
    private readonly ReplicaReader _reader;
    private readonly ActorMaterializer _materializer;
    private readonly ReceivedRecords _received;
    private readonly RejectedRecords _rejected;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private Watermark _attested = Watermark.None;
    private IReadOnlyList<ActorPath> _siblings = [];
    private bool _running;
    private bool _runAgain;
    private RepairStatus _status;

    public RepairActor(ReplicaId replica, IActorRef localReplica, RepairOptions options, ReceivedRecords received)
    {
        _received = received;
        _rejected = RejectedRecords.Get(Context.System);
        _replica = replica;
        _local = localReplica;
        _options = options;
        _buckets = IdBuckets.Of(options.Shards, replica.Shard);
        _index = new StoredIdReader(options.IndexFile, AtRest.Get(Context.System).Keys);
        _reader = new ReplicaReader(Context.System);
        // A materializer of the system, not of this actor's context: rounds and offers materialize
        // streams from task continuations, off this actor's thread. Creating it also loads Akka.Streams'
        // configuration, which registers the serializer of the stream refs in RecordsOffer.
        _materializer = NodeMaterializer.Of(Context.System);
        _status = new RepairStatus(replica, 0, 0, 0, 0, 0, 0, 0, null);

        Receive<SiblingsChanged>(m =>
        {
            _siblings = m.Siblings.Where(p => !IsSelf(p)).Distinct().ToArray();
            _status = _status with { Siblings = _siblings.Count };
            StartRound();
        });
        Receive<OwnPointEstablished>(p => _attested = Watermark.Max(_attested, p.Point));
        Receive<RunAntiEntropy>(_ => StartRound());
        Receive<Tick>(_ => StartRound());
        Receive<RoundFinished>(Finished);
        Receive<GetRepairStatus>(_ => Sender.Tell(_status));
        Receive<GetBucketDigests>(q => Serve(q.Replica, () => DigestsAsync()));
        Receive<GetBucketIds>(q => Serve(q.Replica, () => Task.FromResult(Ids(q))));
        Receive<OfferRecords>(q => Serve(q.Replica, () => OfferAsync(
            _reader.StoredBatchesByLocation(_replica, _index.Locate(_replica, q.Ids), _options.BatchRecords, _options.MessageBytes))));
        Receive<OfferAllRecords>(q => Serve(q.Replica, () => OfferAsync(
            _reader.StoredBatches(_replica, null, _options.BatchRecords, _options.MessageBytes))));
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(ReplicaId replica, IActorRef localReplica, RepairOptions options, ReceivedRecords received) =>
        Akka.Actor.Props.Create(() => new RepairActor(replica, localReplica, options, received));

    private bool IsSelf(ActorPath path) =>
        path.Elements.SequenceEqual(Self.Path.Elements)
        && (path.Address == Self.Path.Address || path.Address == ((ExtendedActorSystem)Context.System).Provider.DefaultAddress);

    protected override void PreStart() =>
        Timers.StartPeriodicTimer("anti-entropy", Tick.Instance, _options.Interval);


    private void StartRound()
    {
        if (_running)
        {
            _runAgain = true;
            return;
        }
        if (_siblings.Count == 0) return;
        _running = true;
        var siblings = _siblings.Select(p => (Path: p, Selection: Context.ActorSelection(p))).ToArray();
        var self = Self.Path;
        var own = _attested;
        RunAsync(siblings, own).PipeTo(Self, failure: e => new RoundFinished([new SiblingOutcome(self, 0, 0, 0, false, e.Message)]));
    }

    private async Task<RoundFinished> RunAsync(IReadOnlyList<(ActorPath Path, ActorSelection Selection)> siblings, Watermark ownPoint)
    {
        var outcomes = new List<SiblingOutcome>();
        foreach (var (path, selection) in siblings)
            outcomes.Add(await new RepairRound(_replica, _local, _index, _buckets, _options, _materializer, _received, ownPoint).WithAsync(path, selection));
        return new RoundFinished(outcomes);
    }

    private void Finished(RoundFinished finished)
    {
        _running = false;
        var (repaired, duplicates) = (finished.Outcomes.Sum(o => o.Repaired), finished.Outcomes.Sum(o => o.Duplicates));
        var failed = finished.Outcomes.Where(o => o.Error is not null).ToArray();
        _status = _status with
        {
            Rounds = _status.Rounds + finished.Outcomes.Count - failed.Length,
            FailedRounds = _status.FailedRounds + failed.Length,
            Repaired = _status.Repaired + repaired,
            Duplicates = _status.Duplicates + duplicates,
            Batches = _status.Batches + finished.Outcomes.Sum(o => o.Batches),
            BulkFills = _status.BulkFills + finished.Outcomes.Count(o => o.BulkFill && o.Error is null),
            LastError = failed.LastOrDefault()?.Error ?? _status.LastError,
        };
        foreach (var f in failed)
        {
            if (f.NotPlaced) _log.Info("{0}: repair from a sibling waits: {1}", _replica, f.Error);
            else _log.Warning("{0}: repair from a sibling failed: {1}", _replica, f.Error);
        }
        if (failed.Any(f => f.NotPlaced) && !Timers.IsTimerActive("not-placed-retry"))
            Timers.StartSingleTimer("not-placed-retry", Tick.Instance, _options.NotPlacedRetry);
        foreach (var o in finished.Outcomes.Where(o => o.Rejected > 0))
        {
            _rejected.Add("repair", o.Sibling.Address.ToString(), o.Rejected);
            _log.Warning("{0}: {1} records from sibling {2} failed verification here and were quarantined; first: {3}",
                _replica, o.Rejected, o.Sibling.Address, o.FirstRejection);
        }
        foreach (var o in finished.Outcomes)
            if (o.Evidence is { } e && e.Allowed != e.SiblingPoint)
                _log.Info("{0}: watermark from sibling {1} held to {2}: {3}", _replica, o.Sibling.Address, e.Allowed, e.Bound);
        if (repaired > 0) _log.Info("{0}: repaired {1} records from siblings ({2} duplicates)", _replica, repaired, duplicates);
        if (_runAgain)
        {
            _runAgain = false;
            StartRound();
        }
    }

    /// <summary>Answers a sibling off this actor's thread; any failure becomes a <see cref="RepairRefused"/> (exceptions do not cross the network).</summary>
    private void Serve(ReplicaId asked, Func<Task<IBackupMessage>> answer)
    {
        var sender = Sender;
        if (asked != _replica)
        {
            sender.Tell(new RepairRefused(asked, $"this repair actor serves {_replica}, not {asked}"));
            return;
        }
        Task.Run(async () =>
        {
            try
            {
                return (object)await answer();
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                return new RepairRefused(asked, e is AskTimeoutException ? "the local replica did not answer in time" : e.Message);
            }
        }).PipeTo(sender);
    }

    private async Task<IBackupMessage> DigestsAsync()
    {
        // The watermark is read when the index file is written up to it, and the digests after: they cover
        // every record the watermark claims. Of it, only what this replica's own evidence established is offered.
        var attested = _attested;
        var status = (await _local.Ask<IndexFlushed>(FlushIndex.Instance, _options.AskTimeout)).Status;
        return new BucketDigests(_replica, attested <= status.BackedUpTo ? attested : status.BackedUpTo, _index.BucketDigests(_replica, _buckets));
    }

    private IBackupMessage Ids(GetBucketIds q)
    {
        if (q.Bucket is < 0 or >= IdBuckets.Count)
            return new RepairRefused(_replica, $"bucket {q.Bucket} does not exist (0 to {IdBuckets.Count - 1})");
        var page = _index.IdsIn(_replica, _buckets.All[q.Bucket], q.After, _options.IdsPerPage, _options.MessageBytes);
        return new BucketIds(_replica, q.Bucket, page.Ids, page.Next);
    }

    private async Task<IBackupMessage> OfferAsync(Source<IReadOnlyList<Records.CapturedRecord>, Akka.NotUsed> batches)
    {
        var status = await _local.Ask<ReplicaStatus>(GetReplicaStatus.Instance, _options.AskTimeout);
        var sourceRef = await batches.Select(b => new RecordBatch(b)).RunWith(StreamRefs.SourceRef<RecordBatch>(), _materializer);
        return new RecordsOffer(_replica, status.BackedUpTo, sourceRef);
    }

    private sealed record Tick
    {
        public static Tick Instance { get; } = new();
    }

    private sealed record RoundFinished(IReadOnlyList<SiblingOutcome> Outcomes);
}
