using ActorBackup.Cluster.Messages;

namespace ActorBackup.Cluster.Replica.Replies;

/// <summary>Nothing of the batch was stored; <paramref name="Reason"/> is one line naming the offending record.</summary>
public sealed record BatchRejected(long BatchId, string Reason) : IBackupMessage;
