using ActorBackup.Admin.Contract;
using Akka.Streams;
using ActorBackup.Cluster.Records;
using ActorBackup.Cluster.Replica;
using ActorBackup.Cluster.Replica.Events;
using ActorBackup.Cluster.Serialization;
using System.Collections.Immutable;
using Akka;
using Akka.Actor;
using Akka.Persistence.Query;
using Akka.Persistence.Sql.Query;
using Akka.Streams.Dsl;
using Akka.Util;

namespace ActorBackup.Cluster.Reading;

/// <summary>
/// Streams the records a replica holds straight from the node's journal, the system of record,
/// through the Akka.Persistence.Sql read journal, with back-pressure.
/// </summary>
/// <remarks>
/// The journal is read in event order (<c>CurrentEventsByPersistenceId</c>) rather than through
/// <see cref="ReplicaIndex.StoredAt"/> plus a lookup per record: an event holds a whole batch, so
/// reading events in order reads each journal row once, whereas following the index's timestamp order
/// would fetch and decompress the same event once per record it holds. The order is stable (sequence
/// number, then position in the batch), memory is bounded by <see cref="EventsPerQuery"/> events, and
/// the stream ends at the journal's end as it reads it. A reader that needs timestamp order sorts
/// downstream or uses the index.
/// </remarks>
public sealed class ReplicaReader(ActorSystem system)
{
    /// <summary>Journal events fetched per query: at most 16 batches of records in memory per reader.</summary>
    public const int EventsPerQuery = 16;

    private readonly IMaterializer _materializer = NodeMaterializer.Of(system);

    private readonly AtRest _atRest = AtRest.Get(system);

    private readonly ICurrentEventsByPersistenceIdQuery _journal =
        PersistenceQuery.Get(system).ReadJournalFor<SqlReadJournal>(SqlReadJournal.Identifier);

    /// <summary>
    /// The verified records stored with a timestamp up to <paramref name="upTo"/> (every one when
    /// null), each with its JSON exactly as captured. Quarantined records are not among them.
    /// </summary>
    public Source<CapturedRecord, NotUsed> Stored(ReplicaId replica, Watermark? upTo = null) =>
        StoredBatches(replica, upTo).SelectMany(batch => batch);

    /// <summary>
    /// <see cref="Stored"/> in batches cut by <see cref="RecordBatching.Cut"/> within each journal event,
    /// for sending to another node.
    /// </summary>
    public Source<IReadOnlyList<CapturedRecord>, NotUsed> StoredBatches(ReplicaId replica, Watermark? upTo, int maxRecords = int.MaxValue, long maxBytes = long.MaxValue)
    {
        if (upTo is { IsNone: true }) return Source.Empty<IReadOnlyList<CapturedRecord>>();
        return Events(replica)
            .SelectMany(e => e is RecordsStored stored
                ? RecordBatching.Cut(stored.Records.Where(r => upTo is null || r.Timestamp <= upTo.Value.Seconds), maxRecords, maxBytes)
                : []);
    }

    /// <summary>
    /// The stored records among <paramref name="ids"/>, given where the index says each one is
    /// (<see cref="StoredIdReader.Locate"/>): only those journal events are read, each once.
    /// </summary>
    public Source<IReadOnlyList<CapturedRecord>, NotUsed> StoredBatchesByLocation(
        ReplicaId replica, IReadOnlyList<(string Id, long SequenceNr)> located, int maxRecords, long maxBytes)
    {
        var wanted = located.GroupBy(l => l.SequenceNr)
            .OrderBy(g => g.Key)
            .Select(g => (Seq: g.Key, Ids: g.Select(l => l.Id).ToHashSet(StringComparer.Ordinal)))
            .ToArray();
        return Source.From(wanted).ConcatMany(w =>
            _journal.CurrentEventsByPersistenceId(_atRest.PersistenceIdOf(replica), w.Seq, w.Seq)
                .SelectMany(env => env.Event is RecordsStored stored
                    ? RecordBatching.Cut(stored.Records.Where(r => w.Ids.Contains(r.Id)), maxRecords, maxBytes)
                    : []));
    }

    /// <summary>The records kept in quarantine with a timestamp up to <paramref name="upTo"/> (every one when null), for <c>verify</c>.</summary>
    public Source<QuarantineEntry, NotUsed> Quarantined(ReplicaId replica, Watermark? upTo = null)
    {
        if (upTo is { IsNone: true }) return Source.Empty<QuarantineEntry>();
        return Events(replica)
            .SelectMany(e => e is RecordsQuarantined quarantined
                ? quarantined.Records.Where(q => upTo is null || q.Timestamp <= upTo.Value.Seconds)
                : []);
    }

    /// <summary>
    /// The replica's events, <see cref="EventsPerQuery"/> per query. One open-ended query would let the
    /// plugin fetch its <c>max-buffer-size</c> (500) events per round trip, and an event may carry half a
    /// megabyte of records. Replica journals are never truncated, so sequence numbers have no gaps and
    /// the first empty page is the end.
    /// </summary>
    private Source<object, NotUsed> Events(ReplicaId replica) =>
        Source.UnfoldAsync(1L, async from =>
            {
                var page = await _journal.CurrentEventsByPersistenceId(_atRest.PersistenceIdOf(replica), from, from + EventsPerQuery - 1)
                    .RunWith(Sink.Seq<EventEnvelope>(), _materializer);
                return page.Count == 0
                    ? Option<(long, IImmutableList<EventEnvelope>)>.None
                    : Option<(long, IImmutableList<EventEnvelope>)>.Create((page[^1].SequenceNr + 1, page));
            })
            .SelectMany(page => page.Select(envelope => envelope.Event));
}
