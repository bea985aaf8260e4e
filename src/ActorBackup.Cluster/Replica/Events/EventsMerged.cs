using ActorBackup.Admin.Contract;
using ActorBackup.Cluster.Records;

namespace ActorBackup.Cluster.Replica.Events;

/// <summary>
/// A run of consecutive small events of one replica rewritten as one (journal compaction, <see cref="Journal.JournalCompaction"/>):
/// their stored records in order, their quarantine entries and dropped count, and the highest watermark among them
/// (<see cref="Watermark.None"/> when the run advanced none). It takes the sequence number of the run's last event, whose
/// predecessors in the run are deleted in the same transaction, so replay applies exactly what the run applied.
/// A run may hold merged events too: their parts are taken as they are, so a merged event always describes the original
/// events it stands for, one part per sequence number from <see cref="FirstSequenceNr"/> to <see cref="LastSequenceNr"/>.
/// </summary>
/// <param name="FirstSequenceNr">Sequence number of the run's first event.</param>
/// <param name="Parts">What each event of the run held, in order from <paramref name="FirstSequenceNr"/>: a reader that had read
/// some of them before the run was merged skips what it has read (<see cref="Since"/>).</param>
public sealed record EventsMerged(long FirstSequenceNr, IReadOnlyList<MergedPart> Parts, RecordsStored Stored, RecordsQuarantined Quarantined, Watermark Watermark)
    : IReplicaEvent
{
    /// <summary>
    /// Every event of the run starting at <paramref name="firstSequenceNr"/>, in order, merged into one. A merged event in the
    /// run stands for its own run of events, whose sequence numbers it covers: the next event follows its last one.
    /// </summary>
    /// <exception cref="ArgumentException">An event of the run is not one a run may hold (a snapshot-like or unknown event).</exception>
    public static EventsMerged Of(long firstSequenceNr, IEnumerable<IReplicaEvent> run)
    {
        var parts = new List<MergedPart>();
        var stored = new List<CapturedRecord>();
        var quarantined = new List<QuarantineEntry>();
        var dropped = 0L;
        var watermark = Watermark.None;
        foreach (var e in run)
        {
            switch (e)
            {
                case RecordsStored s:
                    stored.AddRange(s.Records);
                    parts.Add(new MergedPart(s.Records.Count, 0, 0));
                    break;
                case RecordsQuarantined q:
                    quarantined.AddRange(q.Records);
                    dropped += q.Dropped;
                    parts.Add(new MergedPart(0, q.Records.Count, q.Dropped));
                    break;
                case WatermarkAdvanced w:
                    watermark = Watermark.Max(watermark, w.To);
                    parts.Add(new MergedPart(0, 0, 0));
                    break;
                case EventsMerged m:
                    stored.AddRange(m.Stored.Records);
                    quarantined.AddRange(m.Quarantined.Records);
                    dropped += m.Quarantined.Dropped;
                    watermark = Watermark.Max(watermark, m.Watermark);
                    parts.AddRange(m.Parts);
                    break;
                default:
                    throw new ArgumentException($"{e.GetType().Name} cannot be merged.", nameof(run));
            }
        }
        return new EventsMerged(firstSequenceNr, parts, new RecordsStored(stored), new RecordsQuarantined(quarantined, dropped), watermark);
    }

    /// <summary>Sequence number of the run's last event, which the merged event replaces.</summary>
    public long LastSequenceNr => FirstSequenceNr + Parts.Count - 1;

    /// <summary>
    /// What the run holds after <paramref name="appliedThrough"/>: all of it when the run starts later, otherwise only its
    /// events past that sequence number. A recovery or a reader that went through some of the run's events before the run
    /// was merged (the merge commits while it reads) applies or reads each record once this way; the watermark is a maximum,
    /// so applying it again changes nothing.
    /// </summary>
    public EventsMerged Since(long appliedThrough)
    {
        if (appliedThrough < FirstSequenceNr) return this;
        var seen = (int)Math.Min(Parts.Count, appliedThrough - FirstSequenceNr + 1);
        var seenParts = Parts.Take(seen).ToList();
        var rest = Parts.Skip(seen).ToList();
        var stored = Stored.Records.Skip(seenParts.Sum(p => p.Stored)).ToList();
        var quarantined = Quarantined.Records.Skip(seenParts.Sum(p => p.Quarantined)).ToList();
        return new EventsMerged(appliedThrough + 1, rest, new RecordsStored(stored), new RecordsQuarantined(quarantined, rest.Sum(p => p.Dropped)), Watermark);
    }

    public bool Equals(EventsMerged? other) => other is not null && FirstSequenceNr == other.FirstSequenceNr && Parts.SequenceEqual(other.Parts)
        && Stored.Equals(other.Stored) && Quarantined.Equals(other.Quarantined) && Watermark == other.Watermark;

    public override int GetHashCode() => HashCode.Combine(FirstSequenceNr, Parts.Count, Stored.Records.Count);
}

/// <summary>What one event of a merged run held: records stored, quarantine entries kept, quarantined records only counted.</summary>
public readonly record struct MergedPart(int Stored, int Quarantined, long Dropped);
