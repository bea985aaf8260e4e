using ActorBackup.Admin.Contract.Import;

namespace ActorBackup.Cluster.Ingest.Replies;

/// <summary>
/// Every document of an <see cref="Commands.IngestRecords"/> is on disk in every owner of its shard.
/// </summary>
/// <param name="Stored">Verified records new to at least one owner.</param>
/// <param name="Duplicates">Verified records every owner already held.</param>
/// <param name="Quarantined">The documents that failed verification (kept in quarantine, new or already kept), with why.</param>
/// <param name="Newest">Largest timestamp of the verified records, or -1 when none verified.</param>
public sealed record IngestAck(int Stored, int Duplicates, IReadOnlyList<QuarantineNote> Quarantined, long Newest)
{
    /// <summary>What the batch of <paramref name="received"/> documents of <paramref name="table"/> made durable, as the import route answers it.</summary>
    public ImportSummary ToSummary(string table, int received) =>
        new(table, received, Stored, Duplicates, Quarantined.Count,
            Quarantined.GroupBy(n => n.Reason).ToDictionary(g => g.Key, g => (long)g.Count()),
            Quarantined.Take(ImportSummary.MaxExamples).ToArray(), Newest);
}
