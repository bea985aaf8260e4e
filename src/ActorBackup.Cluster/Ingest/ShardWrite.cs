using ActorBackup.Cluster.Records;
using ActorBackup.Cluster.Replica;

namespace ActorBackup.Cluster.Ingest;

/// <summary>What one shard's owners are asked to keep of a batch: the verified records and the quarantined ones.</summary>
public sealed record ShardWrite(ReplicaId Replica, IReadOnlyList<CapturedRecord> Verified, IReadOnlyList<QuarantinedRecord> Quarantined);
