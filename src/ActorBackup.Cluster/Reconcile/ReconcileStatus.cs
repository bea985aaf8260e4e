namespace ActorBackup.Cluster.Reconcile;

/// <summary>How a replica's reconciliation with the source goes, as status shows it.</summary>
/// <param name="ReconciledAt">Source time (Unix seconds) of the last completed round: everything the source held then is held here. Null before the first.</param>
/// <param name="Found">Records found only by reconciliation since the replica actor started.</param>
/// <param name="SourceLacks">In the last completed round, records held here that the source does not hold.</param>
/// <param name="LastError">Why the last round failed; null when it completed.</param>
public sealed record ReconcileStatus(long? ReconciledAt, long Found, long SourceLacks, string? LastError)
{
    public static ReconcileStatus None { get; } = new(null, 0, 0, null);
}
