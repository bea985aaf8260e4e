namespace ActorBackup.Cluster.Status;

/// <summary>The capture side of a replica's report: what an operator needs to see a replica stuck or failing.</summary>
/// <param name="Phase">"connecting", "catching-up", "live" or "backoff" (<see cref="ReplicaPhases"/>).</param>
/// <param name="LagSeconds">Now minus the flushed watermark when the report was made; null without a watermark.</param>
/// <param name="Restarts">Capture attempts after the first, since the replica actor started.</param>
/// <param name="Gaps">Changefeed overflows seen (each repaired by the next catch-up scan).</param>
/// <param name="LastError">One line on why the last attempt ended; null if none failed.</param>
/// <param name="Source">"host:port" of the source of the current or last attempt; null before the first.</param>
/// <param name="RecordsCaptured">Records this replica stored new since its actor started.</param>
/// <param name="FeedSince">While live: the source's time (Unix seconds) since which its feed has been followed without a break.</param>
/// <param name="ReconciledAt">Source time (Unix seconds) of the replica's last completed reconciliation with the source; null before one.</param>
/// <param name="ReconcileFound">Records only reconciliation found, since the replica actor started.</param>
/// <param name="SourceLacks">In the last reconciliation, records held here that the source does not hold.</param>
/// <param name="ReconcileError">Why the last reconciliation failed; null when it completed.</param>
/// <param name="CatchUpFallback">
/// Why the last catch-up read the shard's whole key range instead of the source's timestamp index (the index is missing
/// or cannot be read); null when it used the index.
/// </param>
/// <param name="WatermarkHeld">
/// What the watermark waits for while checkpoints do not move it (a reconciliation after a catch-up of votes through
/// their blocks); null when nothing holds it.
/// </param>
public sealed record ReplicaCapture(
    string Phase,
    long? LagSeconds,
    long Restarts,
    long Gaps,
    string? LastError,
    string? Source,
    long RecordsCaptured,
    long? FeedSince = null,
    long? ReconciledAt = null,
    long ReconcileFound = 0,
    long SourceLacks = 0,
    string? ReconcileError = null,
    string? CatchUpFallback = null,
    string? WatermarkHeld = null);
