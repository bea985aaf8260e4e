using ActorBackup.Cluster.Messages;

namespace ActorBackup.Cluster.Replica.Replies;

/// <summary>Every record of the batch is now on disk in this replica: <paramref name="Stored"/> new ones, <paramref name="Duplicates"/> already held.</summary>
public sealed record RecordsStoredAck(long BatchId, int Stored, int Duplicates) : IBackupMessage;
