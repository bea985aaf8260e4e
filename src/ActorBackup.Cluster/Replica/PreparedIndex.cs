namespace ActorBackup.Cluster.Replica;

/// <summary>What opening the record index file found and did.</summary>
/// <param name="MovedRecords">Records moved from an earlier layout (0 when there was nothing to move).</param>
/// <param name="EmptiedForSealedIds">The file held ids in clear and the node encrypts: it was emptied, to be rebuilt from the journal.</param>
/// <param name="Ids">How the file writes ids.</param>
/// <param name="DroppedTimeIndex">The file had the index of rows by time of an earlier layout, and it was dropped.</param>
public sealed record PreparedIndex(long MovedRecords, bool EmptiedForSealedIds, IndexIds Ids, bool DroppedTimeIndex);
