namespace ActorBackup.Cluster.Settings;

/// <summary>How each replica proves against its source that it holds every record of its range (<c>actorbackup.reconcile</c>).</summary>
/// <param name="Enabled">Whether replicas reconcile at all; off leaves late records to chance.</param>
/// <param name="Interval">Between two reconciliations of a replica; one also runs after every reconnect.</param>
/// <param name="QueriesPerSecond">Most reconciliation queries per second this node sends one source, all replicas together.</param>
/// <param name="QueriesInFlight">Most reconciliation queries this node has in flight to one source at once, all replicas together.</param>
/// <param name="ListBelow">A range holding at most this many records on the source is compared id by id instead of split further.</param>
/// <param name="FetchBatch">Most missing records asked for in one query.</param>
/// <param name="CaptureWait">How long a round that found records missing waits for capture to store them before it fetches them, and waits again while capture keeps storing some.</param>
/// <param name="CaptureWaitMax">Longest a round waits for capture in all.</param>
/// <param name="RequestTimeout">Longest <c>POST /reconcile</c> waits for the node's replicas.</param>
public sealed record ReconcileSettings(bool Enabled, TimeSpan Interval, double QueriesPerSecond, int QueriesInFlight, int ListBelow, int FetchBatch,
    TimeSpan CaptureWait, TimeSpan CaptureWaitMax, TimeSpan RequestTimeout);
