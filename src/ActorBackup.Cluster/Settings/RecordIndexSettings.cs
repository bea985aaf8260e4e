namespace ActorBackup.Cluster.Settings;

/// <summary>How each replica writes the node's record index (<c>actorbackup.record-index</c>).</summary>
/// <param name="FlushInterval">Longest a confirmed event waits in the index's buffer before the buffer is written.</param>
/// <param name="FlushRecords">Buffered records after which the buffer is written at once.</param>
/// <param name="IdFilterBytes">Most memory of the per-replica filter that spares the index a read for most new ids.</param>
public sealed record RecordIndexSettings(TimeSpan FlushInterval, int FlushRecords, long IdFilterBytes);
