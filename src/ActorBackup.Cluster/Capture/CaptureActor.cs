using ActorBackup.Admin.Contract;
using ActorBackup.Cluster.Capture.Pipeline;
using ActorBackup.Cluster.Capture.Points;
using ActorBackup.Cluster.Capture.Queries;
using ActorBackup.Cluster.Capture.Replies;
using ActorBackup.Cluster.Membership;
using ActorBackup.Cluster.Node;
using ActorBackup.Cluster.Reconcile;
using ActorBackup.Cluster.Reconcile.Commands;
using ActorBackup.Cluster.Repair;
using ActorBackup.Cluster.Repair.Commands;
using ActorBackup.Cluster.Replica;
using ActorBackup.Cluster.Replica.Commands;
using ActorBackup.Cluster.Replica.Replies;
using ActorBackup.Cluster.Verification;
using ActorBackup.ReQL.Errors;
using Akka.Actor;
using Akka.Event;
using Akka.Streams;

namespace ActorBackup.Cluster.Capture;

/// <summary>
/// Captures one replica <c>(table, shard)</c>: owns its journal (a supervised <see cref="ReplicaActor"/> child) and
/// its capture stream (<see cref="CapturePipeline"/>), materialized in PreStart, and its <see cref="RepairActor"/>
/// child, which compares and repairs it against the sibling replicas on the other owners. The stream sends results back as
/// messages; this actor keeps the counters, decides the watermark and answers <see cref="GetCaptureStatus"/>.
/// </summary>
/// <remarks>
/// The watermark advances only on checkpoints of a live attempt (feed open, scan complete) whose batch the journal
/// acknowledged, to the checkpoint's time minus the catch-up margin; after any failure no checkpoint exists until
/// a new attempt has opened its feed and finished its scan. Attempts scan from capture's own confirmed point (its
/// <see cref="CapturePointActor"/> child), never from the journal's watermark, which repair or import may have raised.
/// A catch-up of votes through their blocks can leave out a vote cast on an older block: after one, the watermark stays
/// where it was until a reconciliation asked for after the scan has completed (<see cref="CaptureProgress.WatermarkHeldBy"/>).
/// </remarks>
public sealed class CaptureActor : ReceiveActor, IWithTimers
{
    private readonly ReplicaId _replica;
    private readonly CaptureEnvironment _environment;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private IActorRef _journal = ActorRefs.Nobody;
    private IActorRef _repair = ActorRefs.Nobody;
    private IActorRef _capturePoint = ActorRefs.Nobody;
    private IActorRef _reconcile = ActorRefs.Nobody;
    private ReconcileStatus? _reconciled;
    private bool _reconcileOnCheckpoint;
    private Watermark? _recoveredPoint;
    private ReplicaStatus? _journalStatus;
    private CaptureProgress _progress = CaptureProgress.Initial;
    private Watermark _ownSent = Watermark.None;
    private readonly CapturePointPacer _pointPacer;
    private UniqueKillSwitch? _stream;
    private IActorRef? _waitingForPlan;
    private IMaterializer _materializer = null!;
    private bool _warnedCatchUpByRange;

    /// <summary>The sink of the stream this actor runs now; batches from any other are of a stream it stopped.</summary>
    private IActorRef _streamSink = ActorRefs.Nobody;

    /// <summary>Tells this incarnation's questions from those of one before a restart, whose attempts numbered alike.</summary>
    private readonly long _incarnation = Random.Shared.NextInt64();

    /// <summary>The last reconciliation asked for to end a hold on the watermark.</summary>
    private HoldTag? _reconciliationAsked;

    public CaptureActor(ReplicaId replica, CaptureEnvironment environment)
    {
        if (!RecordKinds.IsCapturable(replica.Table))
            throw new ArgumentException($"Capture of table \"{replica.Table}\" is not supported: only bigchain and votes carry timestamps.", nameof(replica));
        if (replica.Shard < 0 || replica.Shard >= environment.Keys.ShardCount)
            throw new ArgumentOutOfRangeException(nameof(replica), replica.Shard, $"The key space has {environment.Keys.ShardCount} shards.");
        _replica = replica;
        _environment = environment;
        _pointPacer = new CapturePointPacer(environment.Settings.Capture.PointRestStep);

        Receive<ReplicaStatus>(Recovered);
        Receive<CapturePoint>(PointRecovered);
        Receive<PollRecovery>(_ => AskUntilRecovered());
        Receive<PlanAttempt>(_ => Plan(Sender));
        Receive<AttemptProgress>(Noticed);
        Receive<ReconcileStatus>(s => _reconciled = s);
        Receive<ReconcileAnswer>(EndHoldIfReconciled);
        Receive<AskReconciliation>(a => AskReconciliationAfterScan(a.Attempt));
        Receive<AttemptEnded>(AttemptEnded);
        Receive<StreamInit>(_ =>
        {
            _streamSink = Sender;
            Sender.Tell(StreamAck.Instance);
        });
        Receive<BatchPersisted>(Persisted);
        Receive<WatermarkAck>(OwnWatermarkFlushed);
        Receive<CapturePointPersisted>(p => _pointPacer.Persisted(p.Point));
        Receive<StreamCompleted>(_ => _log.Info("{0}: capture stream stopped", _replica));
        Receive<StreamFailed>(PipelineFailed);
        Receive<Rematerialize>(_ => _stream = CapturePipeline.Run(_replica, _environment, _journal, Self, _materializer));
        Receive<GetCaptureStatus>(_ => ReplyStatus(Sender));
        Receive<ReconcileNow>(ReconcileRequested);
        Receive<ReplicaOwnersChanged>(o => _repair.Tell(
            new SiblingsChanged(o.Owners.Select(owner => NodeActorPaths.OnNode(_repair.Path, owner)).ToList())));
    }

    public ITimerScheduler Timers { get; set; } = null!;

    /// <summary>The capture of <paramref name="replica"/>; the node host spawns one per owned slot.</summary>
    public static Props Props(ReplicaId replica, CaptureEnvironment environment) =>
        Akka.Actor.Props.Create(() => new CaptureActor(replica, environment));

    protected override void PreStart()
    {
        var settings = _environment.Settings;
        _journal = Context.ActorOf(ReplicaActor.Supervised(_replica, ReplicaOptions.From(settings), settings.RestartBackoff), NodeActorPaths.Journal);
        _journal.Tell(GetReplicaStatus.Instance);
        _capturePoint = Context.ActorOf(CapturePointActor.Supervised(_replica, settings.RestartBackoff), NodeActorPaths.CapturePoint);
        _capturePoint.Tell(GetCapturePoint.Instance);
        _repair = Context.ActorOf(RepairActor.Props(_replica, _journal, RepairOptions.From(settings) with { Clock = _environment.Clock },
            new ReceivedRecords(_replica, _environment.Keys, _environment.Validator)), NodeActorPaths.RepairName(_replica));
        if (_environment.Sessions is { } sessions && settings.Reconcile.Enabled)
        {
            _reconcile = Context.ActorOf(ReconcileActor.Props(_replica, _environment.Keys.Ranges[_replica.Shard], _journal,
                new RecordClassifier(_replica, _environment.Keys.Ranges[_replica.Shard], _environment.Validator), sessions,
                ReconcileOptions.From(settings)), NodeActorPaths.Reconcile);
            _reconciled = ReconcileStatus.None;
        }
        Timers.StartPeriodicTimer(nameof(PollRecovery), PollRecovery.Instance, settings.Capture.JournalPollInterval);
        _materializer = Context.Materializer();
        _stream = CapturePipeline.Run(_replica, _environment, _journal, Self, _materializer);
    }

    protected override void PostStop()
    {
        _stream?.Shutdown();
        base.PostStop();
    }

    private void Recovered(ReplicaStatus status)
    {
        var first = _journalStatus is null;
        _journalStatus = status;
        if (!first) return;
        StartIfRecovered();
    }

    /// <summary>
    /// Asks the journal and the capture point, each until it answers once: a question sent while either recovered may be
    /// lost with it (a recovery that fails stops the persistent actor, and its supervisor starts another that was never
    /// asked), and capture starts only once both answered.
    /// </summary>
    private void AskUntilRecovered()
    {
        if (_journalStatus is null) _journal.Tell(GetReplicaStatus.Instance);
        if (_recoveredPoint is null) _capturePoint.Tell(GetCapturePoint.Instance);
    }

    private void PointRecovered(CapturePoint point)
    {
        if (_recoveredPoint is not null) return;
        _recoveredPoint = point.Point;
        StartIfRecovered();
    }

    private void StartIfRecovered()
    {
        if (_journalStatus is not { } status || _recoveredPoint is not { } own) return;
        Timers.Cancel(nameof(PollRecovery));
        _progress = _progress.Recovered(own);
        if (!own.IsNone) _repair.Tell(new OwnPointEstablished(own));
        _log.Info("{0}: journal holds {1} records up to {2}, capture's own point {3}; capture starts", _replica, status.StoredCount, status.BackedUpTo, own);
        if (_waitingForPlan is { } waiting) Plan(waiting);
        _waitingForPlan = null;
    }

    private void Plan(IActorRef attempt)
    {
        // Until the journal and capture's own point have recovered, the point to scan from is unknown. Only the newest
        // attempt waits: an attempt asks again only after its previous question timed out.
        if (_journalStatus is null || _recoveredPoint is null)
        {
            _waitingForPlan = attempt;
            return;
        }
        var (next, plan) = _progress.StartAttempt(_environment.Settings.CatchUpMargin);
        _progress = next;
        attempt.Tell(plan);
    }

    /// <summary>
    /// A catch-up scan that completed found what a timestamp can find; reconciliation with the source then looks for what
    /// a timestamp cannot (a record committed during the disconnect with an older timestamp). It starts once the first
    /// checkpoint after the scan that claims a time past the feed's subscription is on disk: everything the scan read is
    /// stored then, and so is what the feed queued on the server during the scan (read before any later confirmation),
    /// so it fetches neither again.
    /// A catch-up that had to read the whole key range instead of the timestamp index is warned about once.
    /// </summary>
    private void Noticed(AttemptProgress progress)
    {
        _progress = _progress.Noticed(progress);
        if (progress.Notice is ScanCompleted) _reconcileOnCheckpoint = true;
        if (progress.Notice is CatchUpByRange byRange && !_warnedCatchUpByRange)
        {
            _warnedCatchUpByRange = true;
            _log.Warning("{0}: the catch-up scan reads the whole key range of the shard: {1} (warned once per replica; see the capture status)", _replica, byRange.Reason);
        }
    }

    /// <summary>Asks for a reconciliation of this replica now and forwards its outcome to the sender (none when reconciliation is off).</summary>
    private void ReconcileRequested(ReconcileNow request)
    {
        if (_reconcile.IsNobody()) Sender.Tell(ReconcileOutcome.Failed(null, 0, "reconciliation is off on this node (actorbackup.reconcile.enabled)"));
        else _reconcile.Forward(request);
    }

    private void AttemptEnded(AttemptEnded ended)
    {
        _progress = _progress.Ended(ended, _environment.Settings.Sources.Count);
        switch (ended.Error)
        {
            case null:
                break;
            case ReqlError { IsTransient: true } e:
                _log.Info("{0}: capture attempt {1} ended ({2}); restarting with backoff on the next source", _replica, ended.Attempt, e.Message);
                break;
            case var e:
                _log.Warning("{0}: capture attempt {1} failed: {2}: {3}; restarting with backoff on the next source", _replica, ended.Attempt, e.GetType().Name, e.Message);
                break;
        }
    }

    /// <summary>
    /// A batch of the current stream is on disk: its checkpoint may move the watermark. A batch of a stream this actor
    /// no longer runs (one it ran before a restart of the actor or of the stream) moves nothing: its attempts and holds
    /// are not this stream's.
    /// </summary>
    private void Persisted(BatchPersisted batch)
    {
        if (!Sender.Equals(_streamSink))
        {
            Sender.Tell(StreamAck.Instance);
            return;
        }
        _progress = _progress.Persisted(batch);
        if (batch.NewestRecord is { } newest) _pointPacer.Received(newest);
        if (_progress.WatermarkAllowedBy(batch, _environment.Settings.CatchUpMargin) is { } allowed)
        {
            _progress = _progress.WatermarkSent(allowed);
            _ownSent = allowed;
            _journal.Tell(AdvanceWatermark.Local(allowed));
        }
        // A checkpoint that claims no more than the feed's subscription may precede what the feed queued on the server
        // while the scan ran: a round started then would fetch that again and report it as missed.
        var pastScanBacklog = batch.Checkpoint is { } claimed && (_progress.FeedOpenedAt is not { } opened || claimed > opened);
        if (pastScanBacklog && _progress.WatermarkHeldBy is { } held && _reconciliationAsked?.Attempt != held)
            AskReconciliationAfterScan(held);
        if (_reconcileOnCheckpoint && pastScanBacklog)
        {
            _reconcileOnCheckpoint = false;
            if (batch.CheckpointAwaitsReconciliationOf is null) _reconcile.Tell(new ReconcileNow("reconnect"));
        }
        Sender.Tell(StreamAck.Instance);
    }

    /// <summary>
    /// Asks for a reconciliation whose outcome ends the hold on the watermark that the scan of <paramref name="attempt"/>
    /// set: the first checkpoint after that scan is on disk, so the round starts after the scan and does not fetch again
    /// what it read. Without reconciliation nothing can end the hold: the watermark stays.
    /// </summary>
    private void AskReconciliationAfterScan(long attempt)
    {
        if (_progress.WatermarkHeldBy != attempt) return;
        var asked = new HoldTag(_incarnation, attempt);
        var first = _reconciliationAsked != asked;
        _reconciliationAsked = asked;
        if (_reconcile.IsNobody())
        {
            _log.Error("{0}: the catch-up read votes through their blocks but this replica has no reconciliation to find votes cast on older blocks; the watermark stays at {1}",
                _replica, _progress.Positions.Flushed);
            return;
        }
        if (first)
            _log.Info("{0}: the catch-up read votes through their blocks; the watermark stays at {1} until a reconciliation finds any vote cast on an older block",
                _replica, _progress.Positions.Flushed);
        // A tally of the shard is not evidence enough here: the round lists the votes stamped since the scan point and fetches any not stored.
        _reconcile.Tell(new ReconcileNow("reconnect", Answer: true, Tag: asked, ListSince: _progress.HoldListsFrom(attempt)));
        // An answer lost with a restarted reconciliation would hold the watermark for good: ask again if none came.
        Timers.StartSingleTimer(nameof(AskReconciliationAfterScan), new AskReconciliation(attempt), _environment.Settings.Reconcile.Interval);
    }

    /// <summary>
    /// The answer to a question this incarnation asked after the scan of the attempt that still holds the watermark ends
    /// the hold when its round completed; after a failed round the question is asked again.
    /// </summary>
    private void EndHoldIfReconciled(ReconcileAnswer answer)
    {
        if (answer.Tag is not HoldTag tag || tag.Incarnation != _incarnation || _progress.WatermarkHeldBy != tag.Attempt) return;
        if (answer.Outcome.Error is { } error)
        {
            var delay = _environment.Settings.RestartBackoff.Max;
            _log.Warning("{0}: the watermark stays at {1}: the reconciliation after the catch-up failed ({2}); asking again in {3}",
                _replica, _progress.Positions.Flushed, error, delay);
            Timers.StartSingleTimer(nameof(AskReconciliationAfterScan), new AskReconciliation(tag.Attempt), delay);
            return;
        }
        Timers.Cancel(nameof(AskReconciliationAfterScan));
        _progress = _progress.Reconciled(tag.Attempt);
        _log.Info("{0}: reconciled after the catch-up through blocks ({1} found); the watermark moves on", _replica, answer.Outcome.Found);
    }

    /// <summary>
    /// The journal confirmed a watermark this capture established: the point the next attempt scans from, persisted for
    /// the next start (at rest once a step, <see cref="CapturePointPacer"/>), and evidence of this replica's own for
    /// repair. The journal answers with its watermark, which repair or import may have raised further, so the point is
    /// never past what capture sent.
    /// </summary>
    private void OwnWatermarkFlushed(WatermarkAck ack)
    {
        var own = ack.Flushed <= _ownSent ? ack.Flushed : _ownSent;
        if (own.IsNone) return;
        _progress = _progress.WatermarkFlushed(own);
        if (_pointPacer.ShouldPersist(own)) _capturePoint.Tell(new ConfirmCapturePoint(own));
        _repair.Tell(new OwnPointEstablished(own));
    }

    private void PipelineFailed(StreamFailed failed)
    {
        _progress = _progress.PipelineFailed(failed.Error);
        var delay = _environment.Settings.RestartBackoff.Max;
        _log.Error(failed.Error, "{0}: the capture stream failed; starting it again in {1}", _replica, delay);
        Timers.StartSingleTimer(nameof(Rematerialize), Rematerialize.Instance, delay);
    }

    private void ReplyStatus(IActorRef asker)
    {
        var progress = _progress;
        var known = _journalStatus;
        var reconciled = _reconciled;
        var replica = _replica;
        var clock = _environment.Clock;
        // A status answer must not wait for a journal in backoff: it then reports the last known journal state.
        _journal.Ask<ReplicaStatus>(GetReplicaStatus.Instance, _environment.Settings.Capture.JournalStatusTimeout).ContinueWith(
            t => progress.Status(replica, t.IsCompletedSuccessfully ? t.Result : known, clock()) with { Reconcile = reconciled },
            TaskScheduler.Default).PipeTo(asker);
    }

    private sealed record PollRecovery
    {
        public static PollRecovery Instance { get; } = new();
    }

    private sealed record Rematerialize
    {
        public static Rematerialize Instance { get; } = new();
    }

    /// <summary>Tags the question asked after the scan of <paramref name="Attempt"/> by one incarnation of this actor.</summary>
    private sealed record HoldTag(long Incarnation, long Attempt);

    /// <summary>Ask again for the reconciliation that would end the hold set by the scan of <paramref name="Attempt"/>.</summary>
    private sealed record AskReconciliation(long Attempt);
}
