using ActorBackup.Cluster.Messages;
using ActorBackup.Cluster.Replica;

namespace ActorBackup.Cluster.Repair.Replies;

/// <summary>A repair request this node cannot answer; <paramref name="Reason"/> is one line.</summary>
public sealed record RepairRefused(ReplicaId Replica, string Reason) : IBackupMessage;
