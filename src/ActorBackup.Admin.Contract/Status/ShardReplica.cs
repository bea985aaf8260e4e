namespace ActorBackup.Admin.Contract.Status;

/// <summary>One replica of a shard.</summary>
/// <param name="Watermark">Flushed watermark: every record of the range up to it is on the node's disk.</param>
/// <param name="Digest">Hex of the replica's order-independent digest of its stored records: equal digests, equal contents.</param>
/// <param name="Durable">How many reachable replicas of the shard (this one included) hold this watermark; 0 when unreachable or without one.</param>
/// <param name="Phase">Capture phase ("connecting", "catching-up", "live", "backoff"); null when its node does not report it.</param>
/// <param name="LagSeconds">Now minus the flushed watermark, as its node last measured it.</param>
/// <param name="Restarts">Capture attempts after the first since the replica actor started.</param>
/// <param name="Gaps">Changefeed overflows seen (each repaired by the next catch-up scan).</param>
/// <param name="LastError">Why the last capture attempt ended; null if none failed.</param>
/// <param name="Source">The source of the current or last attempt, "host:port".</param>
/// <param name="RecordsCaptured">Records stored new since the replica actor started.</param>
/// <param name="Basis">What the watermark rests on; null when its node does not report it.</param>
/// <param name="Reconcile">The replica's reconciliation with the source; null when its node does not reconcile or does not report it.</param>
/// <param name="CatchUpFallback">
/// Why the replica's last catch-up read its whole key range from the source instead of the timestamp index (the index is
/// missing or unreadable there); null when it used the index or its node does not report it.
/// </param>
/// <param name="WatermarkHeld">
/// What the replica's watermark waits for while it does not move with the feed (a reconciliation with the source after
/// a catch-up of votes through their blocks, which can leave out a vote cast on an older block); null when nothing
/// holds it or its node does not report it.
/// </param>
public sealed record ShardReplica(
    string Node,
    string Region,
    bool Reachable,
    long Records,
    long Quarantined,
    DateTimeOffset? Watermark,
    int Durable,
    string Digest,
    string? Phase = null,
    long? LagSeconds = null,
    long Restarts = 0,
    long Gaps = 0,
    string? LastError = null,
    string? Source = null,
    long RecordsCaptured = 0,
    WatermarkBasis? Basis = null,
    ReplicaReconcile? Reconcile = null,
    string? CatchUpFallback = null,
    string? WatermarkHeld = null);
