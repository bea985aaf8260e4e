using ActorBackup.Cluster.Messages;

namespace ActorBackup.Cluster.Journal.Events;

/// <summary>An event of the node's own journal entry (<see cref="NodeStore"/>), not of a replica.</summary>
public interface INodeStoreEvent : IBackupMessage;
