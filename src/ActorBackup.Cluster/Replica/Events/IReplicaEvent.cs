using ActorBackup.Cluster.Messages;

namespace ActorBackup.Cluster.Replica.Events;

/// <summary>An event a replica persists in its journal.</summary>
public interface IReplicaEvent : IBackupMessage;
