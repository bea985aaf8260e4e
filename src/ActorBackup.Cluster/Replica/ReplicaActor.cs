using ActorBackup.Cluster.Journal;
using ActorBackup.Cluster.Positions;
using ActorBackup.Cluster.Records;
using ActorBackup.Cluster.Replica.Commands;
using ActorBackup.Cluster.Replica.Events;
using ActorBackup.Cluster.Replica.Notifications;
using ActorBackup.Cluster.Replica.Replies;
using ActorBackup.Cluster.Serialization;
using ActorBackup.Cluster.Settings;
using ActorBackup.Cluster.Sharding;
using ActorBackup.Cluster.Verification;
using Akka.Actor;
using Akka.Event;
using Akka.Pattern;
using Akka.Persistence;

namespace ActorBackup.Cluster.Replica;

/// <summary>
/// One replica of one shard on this node. It persists each accepted batch as one event, replies only
/// once the journal confirmed the write, keeps the stored ids in the node's <see cref="ReplicaIndex"/>
/// rather than in memory, and snapshots its constant-size <see cref="ReplicaState"/> every
/// <see cref="ReplicaOptions.SnapshotEvery"/> events.
/// </summary>
/// <remarks>
/// Accepts <see cref="StoreRecords"/>, <see cref="QuarantineRecords"/>, <see cref="AdvanceWatermark"/>,
/// <see cref="GetReplicaStatus"/> and <see cref="GetDigestAt"/>. Batches are written with PersistAsync, so
/// the next batch is checked and its write started while the previous one waits for its fsync; a batch
/// is checked for duplicates against the index (every confirmed batch) and against the ids of the
/// batches still in flight, and a batch whose records are all in flight is acknowledged only once they
/// are confirmed. Replies keep the order of the commands. The index buffers confirmed events and is written
/// at most <see cref="RecordIndexSettings.FlushInterval"/> after the first of them (how far readers of the index file on
/// other connections, such as anti-entropy, may lag behind the journal), before every snapshot and when the actor stops.
/// Every <see cref="CompactionOptions.Every"/> events, and at every snapshot, the replica cuts a window and has
/// <see cref="JournalCompaction"/> merge the runs of small and merged events in it, one window at a time, off the actor's
/// thread. A window reaches back to the start of the current segment (the last snapshot, or the last event recovered,
/// whichever is later; at most <see cref="JournalCompaction.MaxEvents"/> events), so that the merged events of earlier
/// windows are merged again with the new ones. Events written before a restart are not merged (a snapshot the recovery
/// did not use may lie among them), and a segment ends at every snapshot, so that no snapshot ever falls inside a merged
/// run: replay from any snapshot applies each record exactly once. The index is flushed through a window before it is
/// compacted, so it never needs the merged events replayed.
/// </remarks>
public sealed class ReplicaActor : ReceivePersistentActor, IWithTimers
{
    private readonly ReplicaId _replica;
    private readonly ReplicaOptions _options;
    private readonly KeySpace _keys;
    private readonly ReplicaIndex _index;
    private readonly long _indexedAtStart;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private ReplicaState _state;
    private ReplicaPositions _positions = ReplicaPositions.None;
    private long _lastSnapshotNr;
    private long _recoveredThrough;

    private readonly JournalCompaction? _compaction;
    // Events up to this sequence number are in a window already cut (or were written before this start).
    private long _windowedThrough;
    // Events after this sequence number (the last snapshot or the last event recovered) may be merged together.
    private long _segmentStart;
    // Events up to this sequence number are ones no run takes any more (CompactionResult.SettledThrough).
    private long _settledThrough;
    private readonly Queue<(long After, long Through)> _windows = new();
    private bool _compacting;

    /// <summary>Tells this incarnation's compactions from one a previous incarnation started before a restart.</summary>
    private readonly long _incarnation = Random.Shared.NextInt64();

    // Quarantine bytes kept, those in flight included: the bound is checked before a write is confirmed.
    private long _quarantineBytes;

    // What the batches written but not yet confirmed hold: the index knows only confirmed batches.
    private readonly HashSet<string> _pendingIds = new(StringComparer.Ordinal);
    private readonly HashSet<QuarantineKey> _pendingKeys = [];

    public ReplicaActor(ReplicaId replica, ReplicaOptions options)
    {
        _replica = replica;
        _options = options;
        _keys = new KeySpace(options.Shards);
        _state = ReplicaState.Empty(replica);
        _index = ReplicaIndex.Open(options.IndexFile, replica, options.Index, AtRest.Get(Context.System).Keys);
        _indexedAtStart = _index.IndexedUpTo;
        _compaction = options.Compaction.Every > 0 ? new JournalCompaction(Context.System, options.Compaction) : null;

        Recover<SnapshotOffer>(offer => RecoverSnapshot(offer));
        Recover<IReplicaEvent>(e => RecoverEvent(e));
        Recover<RecoveryCompleted>(_ => RecoveryDone());

        Command<StoreRecords>(Store);
        Command<QuarantineRecords>(Quarantine);
        Command<AdvanceWatermark>(Advance);
        Command<GetReplicaStatus>(_ => Sender.Tell(Status()));
        Command<FlushIndex>(_ =>
        {
            _index.Flush();
            Sender.Tell(new IndexFlushed(Status()));
        });
        Command<FlushIndexDue>(_ => _index.Flush());
        Command<GetDigestAt>(q =>
        {
            var (count, digest) = _index.DigestAt(q.At);
            Sender.Tell(new DigestAt(q.At, count, digest));
        });
        Command<SaveSnapshotSuccess>(s => DeleteOlderSnapshots(s.Metadata.SequenceNr));
        Command<SaveSnapshotFailure>(f => _log.Warning(f.Cause, "{0}: snapshot at {1} failed; recovery will replay more events", _replica, f.Metadata.SequenceNr));
        Command<Compacted>(OnCompacted);
        Command<DeleteSnapshotsSuccess>(_ => { });
        Command<DeleteSnapshotsFailure>(f => _log.Warning(f.Cause, "{0}: deleting old snapshots failed", _replica));
    }

    public override string PersistenceId => AtRest.Get(Context.System).PersistenceIdOf(_replica);

    public ITimerScheduler Timers { get; set; } = null!;

    /// <summary>
    /// Only snapshots the index has caught up with may be used: after a crash the index can be behind
    /// the newest snapshot, and the events in between must be replayed into it.
    /// </summary>
    public override Recovery Recovery => new(new SnapshotSelectionCriteria(_indexedAtStart));

    public static Props Props(ReplicaId replica, ReplicaOptions options) =>
        Akka.Actor.Props.Create(() => new ReplicaActor(replica, options));

    /// <summary>
    /// The replica under a backoff supervisor, which forwards every message to it. A journal failure
    /// stops a persistent actor (its state may be behind the journal); the supervisor starts it again
    /// after a growing delay, and recovery catches up from snapshot, journal and index.
    /// </summary>
    public static Props Supervised(ReplicaId replica, ReplicaOptions options, BackoffSettings backoff) =>
        BackoffSupervisor.Props(Backoff.OnStop(
            Props(replica, options), replica.PersistenceId, backoff.Min, backoff.Max, backoff.RandomFactor, maxNrOfRetries: -1));

    protected override void PostStop()
    {
        _index.Dispose();
        base.PostStop();
    }

    private void RecoverSnapshot(SnapshotOffer offer)
    {
        if (offer.Snapshot is not ReplicaState state || state.Replica != _replica)
            throw new InvalidOperationException($"{_replica}: the snapshot at {offer.Metadata.SequenceNr} is not a state of this replica.");
        _state = state;
        _lastSnapshotNr = offer.Metadata.SequenceNr;
        _recoveredThrough = offer.Metadata.SequenceNr;
    }

    private void RecoverEvent(IReplicaEvent e)
    {
        // A run merged while this recovery read it (a compaction of the previous incarnation still committing) comes
        // back as the merged event after some of its events: only the rest of it is new.
        if (e is EventsMerged merged) e = merged.Since(_recoveredThrough);
        _recoveredThrough = LastSequenceNr;
        _state = ReplicaState.Apply(_state, e);
        if (LastSequenceNr > _indexedAtStart) _index.Apply(LastSequenceNr, e);
    }

    private void RecoveryDone()
    {
        _quarantineBytes = _state.QuarantineBytes;
        _positions = ReplicaPositions.Recovered(_state.Watermark);
        var indexed = _index.IndexedUpTo;
        if (indexed > LastSequenceNr)
        {
            // The index claims events the journal does not have (journal replaced or restored from an
            // older copy). Trusting it would skip records as duplicates that are not stored: rebuild it.
            _index.Reset();
            throw new InvalidOperationException(
                $"{_replica}: the record index is ahead of the journal ({indexed} > {LastSequenceNr}); it was reset and is rebuilt on restart.");
        }
        _index.Flush();
        _windowedThrough = _segmentStart = LastSequenceNr;
        _log.Info("{0}: recovered {1} records, {2} quarantined, watermark {3}, digest {4}", _replica, _state.StoredCount, _state.QuarantinedCount, _state.Watermark, _state.Digest);
    }

    private void Store(StoreRecords command)
    {
        if (RefusedUnlessOwn(command.Origin, "store", command.BatchId, command.Records.Count)) return;
        var rejection = Admission.CheckStore(_replica, _keys, command.Records);
        if (rejection is not null)
        {
            Sender.Tell(new BatchRejected(command.BatchId, rejection));
            return;
        }
        var held = WithPending(_index.FindStored(command.Records.Select(r => r.Id)), command.Records.Select(r => r.Id), _pendingIds, out var inFlight);
        var (fresh, duplicates) = Admission.NewRecords(command.Records, held);
        var sender = Sender;
        if (fresh.Count == 0)
        {
            // Every id is in the index, which only holds what the journal confirmed, or in a batch whose
            // confirmation is pending: then the acknowledgement waits for it.
            Acknowledge(sender, new RecordsStoredAck(command.BatchId, 0, duplicates), inFlight);
            return;
        }
        foreach (var r in fresh) _pendingIds.Add(r.Id);
        PersistAsync(new RecordsStored(fresh), e =>
        {
            foreach (var r in e.Records) _pendingIds.Remove(r.Id);
            Applied(e);
            sender.Tell(new RecordsStoredAck(command.BatchId, fresh.Count, duplicates));
            Context.System.EventStream.Publish(new RecordsDurable(_replica, e.Records));
        });
    }

    private void Quarantine(QuarantineRecords command)
    {
        if (RefusedUnlessOwn(command.Origin, "quarantine", command.BatchId, command.Records.Count)) return;
        var rejection = Admission.CheckQuarantine(_replica, _keys, command.Records);
        if (rejection is not null)
        {
            Sender.Tell(new BatchRejected(command.BatchId, rejection));
            return;
        }
        var entries = command.Records.Select(q => QuarantineEntry.Of(q, _options.Quarantine.PrefixBytes)).ToList();
        var keys = entries.Select(QuarantineKey.Of).ToList();
        var kept = WithPending(_index.FindQuarantined(keys), keys, _pendingKeys, out var inFlight);
        var (fresh, duplicates) = Admission.NewQuarantined(entries, kept);
        var sender = Sender;
        if (fresh.Count == 0)
        {
            Acknowledge(sender, new RecordsQuarantinedAck(command.BatchId, 0, duplicates), inFlight);
            return;
        }
        foreach (var q in fresh) _pendingKeys.Add(QuarantineKey.Of(q));
        PersistAsync(Bounded(fresh), e =>
        {
            foreach (var q in fresh) _pendingKeys.Remove(QuarantineKey.Of(q));
            Applied(e);
            sender.Tell(new RecordsQuarantinedAck(command.BatchId, fresh.Count, duplicates));
        });
    }

    /// <summary>
    /// The entries the quarantine still has room for (<see cref="QuarantineOptions.MaxBytes"/>, counting those in flight);
    /// the others are only counted, so a source sending garbage without end cannot fill the disk.
    /// </summary>
    private RecordsQuarantined Bounded(IReadOnlyList<QuarantineEntry> fresh)
    {
        var kept = new List<QuarantineEntry>(fresh.Count);
        foreach (var entry in fresh)
        {
            if (_quarantineBytes + entry.Weight > _options.Quarantine.MaxBytes) continue;
            _quarantineBytes += entry.Weight;
            kept.Add(entry);
        }
        if (kept.Count < fresh.Count)
            _log.Warning("{0}: the quarantine holds {1} bytes of its {2}: {3} quarantined records are counted but not kept", _replica, _quarantineBytes, _options.Quarantine.MaxBytes, fresh.Count - kept.Count);
        return new RecordsQuarantined(kept, fresh.Count - kept.Count);
    }

    /// <summary>The keys held (confirmed) plus those of the batch that are in flight; <paramref name="inFlight"/> says whether there were any.</summary>
    private static IReadOnlySet<T> WithPending<T>(IReadOnlySet<T> confirmed, IEnumerable<T> batch, HashSet<T> pending, out bool inFlight)
    {
        inFlight = false;
        if (pending.Count == 0) return confirmed;
        var held = new HashSet<T>(confirmed, pending.Comparer);
        foreach (var key in batch)
        {
            if (pending.Contains(key))
            {
                held.Add(key);
                inFlight = true;
            }
        }
        return held;
    }

    /// <summary>Replies at once, or after every write in flight is confirmed when the batch leaned on one of them.</summary>
    private void Acknowledge<T>(IActorRef sender, T reply, bool afterPending)
    {
        if (afterPending) DeferAsync(reply, r => sender.Tell(r));
        else sender.Tell(reply);
    }

    /// <summary>
    /// A rejected write (the event could not be serialized) leaves in-flight ids that later batches may already have
    /// been told are held. Stopping, as on a journal failure, lets the supervisor start the replica again from the
    /// journal and index; the unanswered senders write again.
    /// </summary>
    protected override void OnPersistRejected(Exception cause, object @event, long sequenceNr)
    {
        base.OnPersistRejected(cause, @event, sequenceNr);
        Context.Stop(Self);
    }

    private void Advance(AdvanceWatermark command)
    {
        if (RefusedUnlessOwn(command.Origin, $"move the watermark to {command.To}", 0, 1)) return;
        _positions = _positions.Receive(command.To);
        if (command.To <= _state.Watermark)
        {
            Sender.Tell(new WatermarkAck(_state.Watermark));
            return;
        }
        _positions = _positions.Write(command.To);
        Persist(new WatermarkAdvanced(command.To), e =>
        {
            Applied(e);
            _positions = _positions.Flush(e.To);
            Sender.Tell(new WatermarkAck(_state.Watermark));
        });
    }

    /// <summary>
    /// Refuses a write this process did not make (<see cref="LocalOrigin"/>): one sent to this journal's path from
    /// another node, which would store records or claim a watermark on nobody's evidence but the sender's. Another
    /// node writes only through this node's import receiver, which checks what it is sent.
    /// </summary>
    private bool RefusedUnlessOwn(LocalOrigin? origin, string what, long batchId, int records)
    {
        if (LocalOrigin.IsOwn(origin)) return false;
        RejectedRecords.Get(Context.System).Add(RejectedRecords.DirectWrite, Sender.Path.Address.ToString(), records);
        _log.Warning("{0}: refused to {1} ({2} records) for {3}: the command did not come from this node; other nodes write only through its import receiver", _replica, what, records, Sender.Path);
        Sender.Tell(new BatchRejected(batchId, $"{_replica} takes writes only from its own node; send imports to {Node.NodeActorPaths.ImportReceiver}"));
        return true;
    }

    private void Applied(IReplicaEvent e)
    {
        _state = ReplicaState.Apply(_state, e);
        _index.Apply(LastSequenceNr, e);
        if (LastSequenceNr - _lastSnapshotNr >= _options.SnapshotEvery)
        {
            // Recovery only starts from a snapshot the index has caught up with.
            _index.Flush();
            _lastSnapshotNr = LastSequenceNr;
            SaveSnapshot(_state);
            CutWindow();
            _segmentStart = LastSequenceNr;
        }
        else if (_compaction is not null && LastSequenceNr - _windowedThrough >= _options.Compaction.Every)
        {
            CutWindow();
        }
        if (_index.HasPending && !Timers.IsTimerActive(nameof(FlushIndexDue)))
            Timers.StartSingleTimer(nameof(FlushIndexDue), FlushIndexDue.Instance, _options.Index.FlushInterval);
    }

    /// <summary>
    /// Keeps the newest two snapshots: if the index lost its last writes in a power cut, recovery
    /// falls back to the older one instead of replaying the whole journal.
    /// </summary>
    private void DeleteOlderSnapshots(long newest)
    {
        var keepFrom = newest - _options.SnapshotEvery;
        if (keepFrom > 1) DeleteSnapshots(new SnapshotSelectionCriteria(keepFrom - 1));
    }

    /// <summary>
    /// Ends the current compaction window at the last confirmed event and starts its compaction unless one runs. The window
    /// starts at the segment's start, so that it holds the events merged by the windows before it.
    /// </summary>
    private void CutWindow()
    {
        var after = Math.Max(_segmentStart, LastSequenceNr - JournalCompaction.MaxEvents);
        if (_compaction is not null && LastSequenceNr - _windowedThrough >= 1 && LastSequenceNr - after >= 2) _windows.Enqueue((after, LastSequenceNr));
        _windowedThrough = LastSequenceNr;
        CompactNext();
    }

    private void CompactNext()
    {
        if (_compacting || _windows.Count == 0) return;
        var (after, through) = _windows.Dequeue();
        // A later window of the same segment holds this one: compacting it alone would rewrite the same events twice.
        while (_windows.TryPeek(out var next) && next.After <= after)
            (after, through) = (next.After, _windows.Dequeue().Through);
        after = Math.Max(after, Math.Min(_settledThrough, through));
        _compacting = true;
        // The index must hold the window's records before their events move: then recovery never replays the merged events
        // into it (unless it is rebuilt, which takes them as they are).
        _index.Flush();
        var compaction = _compaction!;
        var persistenceId = PersistenceId;
        var incarnation = _incarnation;
        Task.Run(() =>
        {
            try
            {
                var result = compaction.Compact(persistenceId, after, through);
                return new Compacted(incarnation, after, through, result.Removed, result.SettledThrough, null);
            }
            catch (Exception e)
            {
                return new Compacted(incarnation, after, through, 0, after, e);
            }
        }).PipeTo(Self);
    }

    /// <summary>
    /// A compaction of this incarnation ended. One started before a restart of the actor ends without starting the next:
    /// this incarnation runs its own, one at a time.
    /// </summary>
    private void OnCompacted(Compacted done)
    {
        if (done.Incarnation != _incarnation) return;
        _compacting = false;
        _settledThrough = Math.Max(_settledThrough, done.SettledThrough);
        if (done.Failure is not null)
            _log.Warning(done.Failure, "{0}: compacting events {1} to {2} failed; they stay as they are", _replica, done.After + 1, done.Through);
        else if (done.Removed > 0)
            _log.Debug("{0}: compacted events {1} to {2}, {3} fewer", _replica, done.After + 1, done.Through, done.Removed);
        CompactNext();
    }

    private sealed record Compacted(long Incarnation, long After, long Through, int Removed, long SettledThrough, Exception? Failure);

    private sealed record FlushIndexDue
    {
        public static FlushIndexDue Instance { get; } = new();
    }

    private ReplicaStatus Status() =>
        new(_replica, _state.StoredCount, _state.QuarantinedCount, _state.Digest, _positions.Flushed, _state.NewestTimestamp, LastSequenceNr);
}
