namespace ActorBackup.Admin.Contract.Reconcile;

/// <summary>One replica's reconciliation with the source, run on request.</summary>
/// <param name="Table">The replica's table.</param>
/// <param name="Shard">The replica's shard.</param>
/// <param name="Source">"host:port" of the source compared with; null when none could be reached.</param>
/// <param name="ReconciledAt">The source's time when the comparison started: every record the source held then is now held. Null when it failed.</param>
/// <param name="SourceRecords">Records of the replica's range on the source.</param>
/// <param name="Found">Records the source held and the replica lacked, now verified and stored.</param>
/// <param name="FoundIds">The first of those ids.</param>
/// <param name="Quarantined">Records the source held and the replica lacked that failed verification (quarantined).</param>
/// <param name="SourceLacks">Records the replica holds that the source does not.</param>
/// <param name="Queries">Queries sent to the source.</param>
/// <param name="Error">Why it failed; null when it completed.</param>
public sealed record ReplicaReconciliation(
    string Table,
    int Shard,
    string? Source,
    DateTimeOffset? ReconciledAt,
    long SourceRecords,
    long Found,
    IReadOnlyList<string> FoundIds,
    long Quarantined,
    long SourceLacks,
    long Queries,
    string? Error);
