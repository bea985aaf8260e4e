using ActorBackup.Cluster.Records;

namespace ActorBackup.Cluster.Replica.Notifications;

/// <summary>
/// Published on the node's event stream once the journal confirmed a batch of newly stored records and the index
/// holds them, for in-process observers (latency measurement). Local only: never sent to another node. Publishing
/// one per batch costs a small allocation, nothing per record.
/// </summary>
public sealed record RecordsDurable(ReplicaId Replica, IReadOnlyList<CapturedRecord> Records);
