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

    private readonly ActorSystem _system = system;

    // How long the journal may take to say where a replica's journal ends (a loaded journal answers replays slowly).
    private static readonly TimeSpan HighestTimeout = TimeSpan.FromSeconds(60);

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
            .SelectMany(e => e switch
            {
                RecordsStored stored => RecordBatching.Cut(stored.Records.Where(r => upTo is null || r.Timestamp <= upTo.Value.Seconds), maxRecords, maxBytes),
                EventsMerged merged => RecordBatching.Cut(merged.Stored.Records.Where(r => upTo is null || r.Timestamp <= upTo.Value.Seconds), maxRecords, maxBytes),
                _ => [],
            });
    }

    /// <summary>
    /// The stored records among <paramref name="ids"/>, given where the index says each one is
    /// (<see cref="StoredIdReader.Locate"/>): only those journal events are read, each once.
    /// </summary>
    /// <remarks>
    /// An event the index names may since have been merged (<see cref="Journal.JournalCompaction"/>): its records are then
    /// in the first event after it, the merged one that ends its run, which also holds those of every other event of the
    /// run the index names. The search for it stops after the longest run there can be: a merged event covers at most
    /// <see cref="Journal.JournalCompaction.MaxEvents"/> sequence numbers.
    /// </remarks>
    public Source<IReadOnlyList<CapturedRecord>, NotUsed> StoredBatchesByLocation(
        ReplicaId replica, IReadOnlyList<(string Id, long SequenceNr)> located, int maxRecords, long maxBytes)
    {
        var persistenceId = _atRest.PersistenceIdOf(replica);
        var wanted = located.GroupBy(l => l.SequenceNr)
            .OrderBy(g => g.Key)
            .Select(g => (Seq: g.Key, Ids: g.Select(l => l.Id).ToHashSet(StringComparer.Ordinal)))
            .ToArray();
        return Source.UnfoldAsync(0, async next =>
            {
                if (next >= wanted.Length) return Option<(int, IReadOnlyList<CapturedRecord>)>.None;
                var found = await FirstEventFrom(persistenceId, wanted[next].Seq);
                if (found is null)
                    return Option<(int, IReadOnlyList<CapturedRecord>)>.Create((next + 1, []));
                // Every group the found event covers: it is the event itself, or a merged run holding all events up to it.
                var ids = new HashSet<string>(StringComparer.Ordinal);
                var end = next;
                while (end < wanted.Length && wanted[end].Seq <= found.SequenceNr) ids.UnionWith(wanted[end++].Ids);
                var records = found.Event switch
                {
                    RecordsStored stored => stored.Records,
                    EventsMerged merged => merged.Stored.Records,
                    _ => [],
                };
                return Option<(int, IReadOnlyList<CapturedRecord>)>.Create((end, records.Where(r => ids.Contains(r.Id)).ToList()));
            })
            .SelectMany(records => RecordBatching.Cut(records, maxRecords, maxBytes));
    }

    /// <summary>The replica's first event at or after <paramref name="from"/>, looked for across at most the longest gap compaction leaves.</summary>
    private async Task<EventEnvelope?> FirstEventFrom(string persistenceId, long from)
    {
        for (var start = from; start <= from + Journal.JournalCompaction.MaxEvents; start += EventsPerQuery)
        {
            var page = await _journal.CurrentEventsByPersistenceId(persistenceId, start, start + EventsPerQuery - 1)
                .Take(1)
                .RunWith(Sink.Seq<EventEnvelope>(), _materializer);
            if (page.Count > 0) return page[0];
        }
        return null;
    }

    /// <summary>The records kept in quarantine with a timestamp up to <paramref name="upTo"/> (every one when null), for <c>verify</c>.</summary>
    public Source<QuarantineEntry, NotUsed> Quarantined(ReplicaId replica, Watermark? upTo = null)
    {
        if (upTo is { IsNone: true }) return Source.Empty<QuarantineEntry>();
        return Events(replica)
            .SelectMany(e => e switch
            {
                RecordsQuarantined quarantined => quarantined.Records.Where(q => upTo is null || q.Timestamp <= upTo.Value.Seconds),
                EventsMerged merged => merged.Quarantined.Records.Where(q => upTo is null || q.Timestamp <= upTo.Value.Seconds),
                _ => [],
            });
    }

    /// <summary>
    /// The replica's events, <see cref="EventsPerQuery"/> per query. One open-ended query would let the
    /// plugin fetch its <c>max-buffer-size</c> (500) events per round trip, and an event may carry half a
    /// megabyte of records. Compaction leaves gaps in sequence numbers, so an empty page is the end only past the
    /// highest sequence number the journal has, asked again whenever an empty page reaches the one asked before: a run
    /// merged while the read goes through it ends at an event that was there when the read started, past the first
    /// answer perhaps (the stream still ends at the journal's end as it reads it). Such a run comes back as its merged event after
    /// some of its events: only what follows the last event read is passed on (<see cref="EventsMerged.Since"/>).
    /// </summary>
    private Source<object, NotUsed> Events(ReplicaId replica)
    {
        var persistenceId = _atRest.PersistenceIdOf(replica);
        // State: the next sequence number, and the highest one once asked (-1 before).
        return Source.UnfoldAsync((From: 1L, Highest: -1L), async state =>
            {
                var (from, highest) = state;
                while (true)
                {
                    var page = await _journal.CurrentEventsByPersistenceId(persistenceId, from, from + EventsPerQuery - 1)
                        .RunWith(Sink.Seq<EventEnvelope>(), _materializer);
                    if (page.Count > 0)
                        return Option<((long, long), IImmutableList<EventEnvelope>)>.Create(((page[^1].SequenceNr + 1, highest), page));
                    // A journal without gaps ends at its first empty page, as before compaction.
                    if (highest < 0 || from + EventsPerQuery - 1 >= highest) highest = await HighestSequenceNr(persistenceId);
                    if (from + EventsPerQuery - 1 >= highest)
                        return Option<((long, long), IImmutableList<EventEnvelope>)>.None;
                    from += EventsPerQuery;
                }
            })
            .SelectMany(page => page)
            .StatefulSelectMany(() =>
            {
                var readThrough = 0L;
                return (Func<EventEnvelope, IEnumerable<object>>)(envelope =>
                {
                    var e = envelope.Event is EventsMerged merged ? merged.Since(readThrough) : envelope.Event;
                    readThrough = envelope.SequenceNr;
                    return [e];
                });
            });
    }

    /// <summary>The highest sequence number of the replica's journal, as recovery asks the journal for it.</summary>
    private async Task<long> HighestSequenceNr(string persistenceId)
    {
        var reply = await Akka.Persistence.Persistence.Instance.Apply(_system).JournalFor(null)
            .Ask<object>(probe => new Akka.Persistence.ReplayMessages(0, 0, 0, persistenceId, probe), HighestTimeout, CancellationToken.None);
        return reply switch
        {
            Akka.Persistence.RecoverySuccess success => success.HighestSequenceNr,
            Akka.Persistence.ReplayMessagesFailure failure => throw new InvalidOperationException($"reading where {persistenceId} ends failed: {failure.Cause.Message}", failure.Cause),
            _ => throw new InvalidOperationException($"reading where {persistenceId} ends: unexpected reply {reply.GetType().Name}"),
        };
    }
}
