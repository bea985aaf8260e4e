using ActorBackup.Cluster.Messages;

namespace ActorBackup.Cluster.Replica.Commands;

/// <summary>Asks for <see cref="Replies.ReplicaStatus"/>.</summary>
public sealed record GetReplicaStatus : IBackupMessage
{
    public static GetReplicaStatus Instance { get; } = new();
}
