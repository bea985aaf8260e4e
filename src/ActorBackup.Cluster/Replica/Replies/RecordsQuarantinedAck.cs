using ActorBackup.Cluster.Messages;

namespace ActorBackup.Cluster.Replica.Replies;

/// <summary>Every record of the quarantine batch is now on disk: <paramref name="Stored"/> new ones, <paramref name="Duplicates"/> already held.</summary>
public sealed record RecordsQuarantinedAck(long BatchId, int Stored, int Duplicates) : IBackupMessage;
