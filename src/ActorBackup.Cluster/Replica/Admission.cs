using System.Text;
using ActorBackup.Cluster.Records;
using ActorBackup.Cluster.Sharding;

namespace ActorBackup.Cluster.Replica;

/// <summary>
/// The decisions a replica takes on an incoming batch, apart from any I/O: whether the batch belongs
/// here at all, and which of its records are new given the ids already stored.
/// </summary>
public static class Admission
{
    /// <summary>Why a batch of records to store cannot be accepted by this replica, or null when it can.</summary>
    public static string? CheckStore(ReplicaId replica, KeySpace keys, IReadOnlyList<CapturedRecord> batch)
    {
        foreach (var r in batch)
        {
            var problem = CheckPlace(replica, keys, r)
                ?? (!IsWellFormed(r.Id) ? $"record id {Escaped(r.Id)} is not well-formed Unicode (a lone surrogate): quarantine it instead" : null)
                ?? (r.Verdict != RecordVerdict.Verified
                    ? $"record {r.Id} has verdict {r.Verdict}, only Verified records are stored (send the others with QuarantineRecords)"
                    : null);
            if (problem is not null) return problem;
        }
        return null;
    }

    /// <summary>Why a quarantine batch cannot be accepted by this replica, or null when it can.</summary>
    public static string? CheckQuarantine(ReplicaId replica, KeySpace keys, IReadOnlyList<QuarantinedRecord> batch)
    {
        foreach (var q in batch)
        {
            var problem = CheckPlace(replica, keys, q.Record)
                ?? (string.IsNullOrWhiteSpace(q.ReasonCode) ? $"quarantined record {q.Record.Id} has no reason code" : null);
            if (problem is not null) return problem;
        }
        return null;
    }

    /// <summary>The records not stored yet, first occurrence of an id winning, and how many were duplicates.</summary>
    public static (IReadOnlyList<CapturedRecord> New, int Duplicates) NewRecords(IReadOnlyList<CapturedRecord> batch, IReadOnlySet<string> storedIds)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var fresh = batch.Where(r => !storedIds.Contains(r.Id) && seen.Add(r.Id)).ToArray();
        return (fresh, batch.Count - fresh.Length);
    }

    /// <summary>
    /// The quarantined records not kept yet. Quarantine is keyed by id and content, not id alone: a
    /// forged document may reuse a genuine id, and two different forgeries are both evidence.
    /// </summary>
    public static (IReadOnlyList<QuarantineEntry> New, int Duplicates) NewQuarantined(
        IReadOnlyList<QuarantineEntry> batch, IReadOnlySet<QuarantineKey> kept)
    {
        var seen = new HashSet<QuarantineKey>();
        var fresh = batch.Where(q => QuarantineKey.Of(q) is var key && !kept.Contains(key) && seen.Add(key)).ToArray();
        return (fresh, batch.Count - fresh.Length);
    }

    // A lone surrogate has no UTF-8 form, so such an id would not come back unchanged from the journal.
    private static bool IsWellFormed(string s) =>
        System.Text.Unicode.Utf8.FromUtf16(s, new byte[Encoding.UTF8.GetMaxByteCount(s.Length)], out _, out _, replaceInvalidSequences: false)
        == System.Buffers.OperationStatus.Done;

    private static string Escaped(string s) =>
        string.Concat(s.Select(c => char.IsSurrogate(c) ? $"\\u{(int)c:x4}" : c.ToString()));

    private static string? CheckPlace(ReplicaId replica, KeySpace keys, CapturedRecord r)
    {
        if (r.Table != replica.Table)
            return $"record {r.Id} is from table {r.Table}, this replica holds {replica.Table}";
        if (r.Id.Length == 0)
            return "a record has an empty id";
        var shard = keys.ShardOf(r.Id);
        if (shard != replica.Shard)
            return $"record {r.Id} belongs to shard {shard}, this replica holds shard {replica.Shard}";
        if (r.Timestamp < 0)
            return $"record {r.Id} has a negative timestamp {r.Timestamp}";
        return null;
    }
}
