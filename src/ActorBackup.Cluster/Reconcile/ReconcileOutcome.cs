namespace ActorBackup.Cluster.Reconcile;

/// <summary>
/// What one reconciliation of a replica with its source found.
/// </summary>
/// <param name="Source">"host:port" of the source compared with.</param>
/// <param name="ReconciledAt">
/// The source's own time (Unix seconds) in its answer just before the first count: every record the source held then is
/// now held here, stored or quarantined. Null when the round failed.
/// </param>
/// <param name="SourceRecords">Records of the replica's range on the source at the first count.</param>
/// <param name="Found">Records the source held and this replica lacked, fetched, verified and stored new by the round.</param>
/// <param name="Quarantined">Records the round fetched that failed verification and went to quarantine.</param>
/// <param name="SourceLacks">Records this replica holds that the source does not: the source lost them, or it is not this federation's.</param>
/// <param name="FoundIds">The first ids found, for the operator (at most <see cref="MaxIdsNamed"/>).</param>
/// <param name="Queries">Queries the round sent the source.</param>
/// <param name="Error">Why the round failed; null when it completed.</param>
/// <param name="FoundStamped">The oldest and newest timestamps (Unix seconds) of the records found, null when none: records
/// stamped long before <paramref name="ReconciledAt"/> are ones the feed and the scans missed, records stamped moments
/// before it more likely ones capture was still storing.</param>
public sealed record ReconcileOutcome(
    string? Source,
    long? ReconciledAt,
    long SourceRecords,
    long Found,
    long Quarantined,
    long SourceLacks,
    IReadOnlyList<string> FoundIds,
    long Queries,
    string? Error,
    (long Oldest, long Newest)? FoundStamped = null)
{
    public const int MaxIdsNamed = 20;

    public static ReconcileOutcome Failed(string? source, long queries, string error) => new(source, null, 0, 0, 0, 0, [], queries, error);
}
