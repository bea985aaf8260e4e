using System.Diagnostics;
using ActorBackup.Admin.Contract;
using ActorBackup.Cluster.Capture.Pipeline;
using ActorBackup.Cluster.Reading;
using ActorBackup.Cluster.Replica;
using ActorBackup.Cluster.Replica.Commands;
using ActorBackup.Cluster.Replica.Replies;
using ActorBackup.Cluster.Sources;
using Akka.Actor;

namespace ActorBackup.Cluster.Reconcile;

/// <summary>
/// One reconciliation of a replica with a source, off its <see cref="ReconcileActor"/>'s thread. The source's time is
/// read first (a probe answered on the same connection), then the range is tallied on the source and here (its count and
/// the checksum of its ids, <see cref="IdTally"/>); a range whose tallies disagree is cut into <see cref="Fanout"/> slices
/// and each tallied again, down to ranges small enough to list (<see cref="Settings.ReconcileSettings.ListBelow"/>), whose
/// ids are compared. What the source holds and this replica lacks is fetched, verified here as capture verifies
/// (<see cref="RecordClassifier"/>) and stored or quarantined through the replica actor. Agreeing tallies are taken as
/// equal contents; equal counts alone are not, since a record held here that the source lost would hide one the source
/// gained. Only stored records are compared: a document held only in quarantine may have come from a sibling or an
/// import, so its id is fetched from the source whenever its range is listed, and the source's document, verified here,
/// is stored or quarantined (a range where the source holds a document that fails verification never agrees, and costs
/// that listing and fetch every round). Stored records the source lacks are reported
/// (<see cref="ReconcileOutcome.SourceLacks"/>) wherever a listing sees them. A round asked to list what is stamped since
/// a point (<paramref name="listSince"/>) does not take a tally on trust for those records: it also lists the ids of the
/// shard's documents stamped since then and fetches every one not stored here. Before it fetches, a round gives the
/// live feed a moment to store what it listed as missing (<see cref="ReconcileOptions.CaptureWait"/>), so that a record
/// in flight is neither read twice nor reported as missed.
/// </summary>
/// <param name="listSince">
/// Null, or the point from which every document of the shard is listed by id whatever the counts say (see
/// <see cref="Commands.ReconcileNow.ListSince"/>); <see cref="Watermark.None"/> lists the whole shard.
/// </param>
internal sealed class ReconcileRound(
    ReplicaId replica, KeyRange shard, IActorRef local, StoredIdReader index, RecordClassifier classifier, ReconcileOptions options,
    Watermark? listSince = null)
{
    public const int Fanout = 16;

    private readonly List<string> _missing = [];
    private long _sourceLacks;
    private long _batchId;

    public async Task<ReconcileOutcome> RunAsync(SourceSessions sources, CancellationToken ct)
    {
        SourceRangeQueries? queries = null;
        try
        {
            await using var lease = await sources.AcquireAsync(0, ct);
            queries = new SourceRangeQueries(options.Database, replica.Table, lease);
            var started = await lease.NextAnswerAsync(prompt: true);
            await Ask<IndexFlushed>(FlushIndex.Instance);
            var sourceRecords = await CompareAsync(queries, ct);
            if (listSince is { } since)
                await ListSinceAsync(queries, since, ct);
            await AwaitCaptureAsync(ct);
            var (found, quarantined) = await FetchAsync(queries, ct);
            return new ReconcileOutcome(lease.Endpoint, started.SourceSeconds, sourceRecords, found.Count, quarantined, _sourceLacks,
                found.Take(ReconcileOutcome.MaxIdsNamed).Select(r => r.Id).ToArray(), queries.Sent, null,
                found.Count == 0 ? null : (found.Min(r => r.Timestamp), found.Max(r => r.Timestamp)));
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            var error = e is AggregateException { InnerException: { } inner } ? inner : e;
            return ReconcileOutcome.Failed(queries?.Endpoint, queries?.Sent ?? 0, error.Message);
        }
    }

    /// <summary>
    /// Finds the ids the source holds and this replica lacks; returns the source's count of the whole range. Each side is
    /// read here first and at the source after: what this replica holds only grows into what the source holds, so agreeing
    /// tallies are not a later arrival here hiding a record that was missing when the source was asked.
    /// </summary>
    private async Task<long> CompareAsync(SourceRangeQueries queries, CancellationToken ct)
    {
        long? total = null;
        var pending = new Stack<KeyRange>();
        pending.Push(shard);
        while (pending.TryPop(out var range))
        {
            await Ask<IndexFlushed>(FlushIndex.Instance);
            var ours = index.TallyIn(replica, range.Lower, range.Upper);
            var theirs = await queries.TallyAsync(range, ct);
            total ??= theirs.Records;
            if (theirs.Agrees(ours))
                continue;
            var slices = theirs.Records <= options.ListBelow ? [range] : range.Split(Fanout);
            if (slices.Count > 1)
            {
                foreach (var slice in slices.Reverse()) pending.Push(slice);
                continue;
            }
            await Ask<IndexFlushed>(FlushIndex.Instance);
            var held = index.StoredIdsIn(replica, range.Lower, range.Upper);
            var sourceIds = await queries.IdsAsync(range, ct);
            _missing.AddRange(sourceIds.Where(id => !held.Contains(id)).Order(StringComparer.Ordinal));
            _sourceLacks += held.Count(id => !sourceIds.Contains(id));
        }
        return total ?? 0;
    }

    /// <summary>
    /// Adds to the missing ids every id of the shard stamped at or after <paramref name="since"/> on the source that is not
    /// stored here. An id held here only in quarantine is fetched again: what quarantine holds under an id may have come
    /// from a sibling or an import, not from the source, and only the source's document, verified here, says what it is.
    /// </summary>
    private async Task ListSinceAsync(SourceRangeQueries queries, Watermark since, CancellationToken ct)
    {
        var sourceIds = await queries.IdsSinceAsync(shard, since, ct);
        await Ask<IndexFlushed>(FlushIndex.Instance);
        var stored = index.Stored(replica, sourceIds);
        var listed = new HashSet<string>(_missing, StringComparer.Ordinal);
        _missing.AddRange(sourceIds.Where(id => !stored.Contains(id) && !listed.Contains(id)).Order(StringComparer.Ordinal));
    }

    /// <summary>
    /// Gives capture time to store what the round listed as missing before anything is fetched: a record the live feed is
    /// delivering while the round lists is on the source before it is stored here, and fetching it would read it twice
    /// and count it as one the feed and the scans missed. The round waits <see cref="ReconcileOptions.CaptureWait"/>, drops
    /// what capture stored meanwhile, and waits again while each wait saw capture store some, up to
    /// <see cref="ReconcileOptions.CaptureWaitMax"/> in all, measured on this node's own clock from the first wait, index
    /// flushes and reads included (a wait longer than that maximum is not waited). Waiting only delays a fetch: every
    /// listed id is stored here or fetched, and an id held only in quarantine stays listed.
    /// </summary>
    private async Task AwaitCaptureAsync(CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        while (_missing.Count > 0 && options.CaptureWait > TimeSpan.Zero && clock.Elapsed + options.CaptureWait <= options.CaptureWaitMax)
        {
            await Task.Delay(options.CaptureWait, ct);
            await Ask<IndexFlushed>(FlushIndex.Instance);
            var stored = index.Stored(replica, _missing);
            if (stored.Count == 0) return;
            _missing.RemoveAll(stored.Contains);
        }
    }

    /// <summary>Fetches the missing records, verifies them and hands them to the replica; returns the records stored new.</summary>
    private async Task<(List<Records.CapturedRecord> Found, long Quarantined)> FetchAsync(SourceRangeQueries queries, CancellationToken ct)
    {
        var found = new List<Records.CapturedRecord>();
        long quarantined = 0;
        foreach (var listed in _missing.Chunk(options.FetchBatch))
        {
            // Capture may have stored some since they were listed: those are not fetched again.
            await Ask<IndexFlushed>(FlushIndex.Instance);
            var held = index.Stored(replica, listed);
            var ids = listed.Where(id => !held.Contains(id)).ToArray();
            if (ids.Length == 0) continue;
            var documents = await queries.DocumentsAsync(ids, ct);
            var valid = new List<Records.CapturedRecord>();
            var invalid = new List<Records.QuarantinedRecord>();
            foreach (var json in documents)
            {
                switch (classifier.Classify(new SourceDocument(json, DocumentOrigin.Scan)))
                {
                    case ValidDocument v:
                        valid.Add(v.Record);
                        break;
                    case InvalidDocument q:
                        invalid.Add(q.Record);
                        break;
                }
            }
            if (valid.Count > 0)
            {
                found.AddRange(await StoreAsync(valid));
            }
            if (invalid.Count > 0)
                quarantined += await QuarantineAsync(invalid);
        }
        return (found, quarantined);
    }

    /// <summary>
    /// Quarantines records that failed verification and checks they are held: a full quarantine counts what it drops, and
    /// a round must not claim a record it holds nowhere.
    /// </summary>
    /// <exception cref="InvalidOperationException">Some were not kept; the round fails and claims no point.</exception>
    private async Task<long> QuarantineAsync(IReadOnlyList<Records.QuarantinedRecord> records)
    {
        var ack = await Ask<RecordsQuarantinedAck>(QuarantineRecords.Local(++_batchId, records));
        await Ask<IndexFlushed>(FlushIndex.Instance);
        // By id and document: a different document quarantined under the same id (a sibling's) does not keep this one.
        var held = index.QuarantinedAmong(replica, records.Select(QuarantineKey.Of));
        var dropped = records.Where(r => !held.Contains(QuarantineKey.Of(r))).ToArray();
        if (dropped.Length > 0)
            throw new InvalidOperationException(
                $"{dropped.Length} records that fail verification could not be kept in quarantine (full: actorbackup.quarantine.max-bytes), first {dropped[0].Record.Id}");
        return ack.Stored;
    }

    /// <summary>
    /// Stores verified records none of which was stored when they were fetched; returns as many of them as the replica
    /// stored new (the others capture stored in the meantime).
    /// </summary>
    private async Task<IReadOnlyList<Records.CapturedRecord>> StoreAsync(IReadOnlyList<Records.CapturedRecord> records)
    {
        var ack = await Ask<RecordsStoredAck>(StoreRecords.Local(++_batchId, records));
        return records.Take(ack.Stored).ToArray();
    }

    private async Task<T> Ask<T>(object message)
    {
        object reply;
        try
        {
            reply = await local.Ask<object>(message, options.AskTimeout);
        }
        catch (AskTimeoutException)
        {
            throw new TimeoutException($"the local replica did not answer {message.GetType().Name} within {options.AskTimeout.TotalSeconds:0.#}s");
        }
        return reply switch
        {
            T expected => expected,
            BatchRejected rejected => throw new InvalidOperationException($"the local replica rejected a reconciled batch: {rejected.Reason}"),
            _ => throw new InvalidOperationException($"expected {typeof(T).Name} in reply to {message.GetType().Name}, got {reply.GetType().Name}"),
        };
    }
}
