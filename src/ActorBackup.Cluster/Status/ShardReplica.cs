namespace ActorBackup.Cluster.Status;

/// <summary>One replica of a shard.</summary>
/// <param name="Watermark">Flushed watermark: every record of the range up to it is on the node's disk.</param>
/// <param name="Digest">Hex of the replica's order-independent digest of its stored records: equal digests, equal contents.</param>
/// <param name="Durable">How many reachable replicas of the shard (this one included) hold this watermark; 0 when unreachable or without one.</param>
public sealed record ShardReplica(
    string Node,
    string Region,
    bool Reachable,
    long Records,
    long Quarantined,
    DateTimeOffset? Watermark,
    int Durable,
    string Digest);
