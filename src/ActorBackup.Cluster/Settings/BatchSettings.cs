namespace ActorBackup.Cluster.Settings;

/// <summary>How captured records are grouped into journal writes (<c>actorbackup.batch</c>).</summary>
/// <param name="MaxRecords">Most records in one persisted event.</param>
/// <param name="MaxBytes">Most raw JSON bytes in one batch; a larger single record forms its own batch.</param>
/// <param name="MaxLatency">Longest a record waits for its batch to fill.</param>
public sealed record BatchSettings(int MaxRecords, long MaxBytes, TimeSpan MaxLatency);
