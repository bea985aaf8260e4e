namespace ActorBackup.Admin.Contract.Status;

/// <summary>One shard of one table and its replicas.</summary>
/// <param name="Id">"table/shard", e.g. "votes/007".</param>
/// <param name="Range">The primary-key range, e.g. "[10000000, 20000000)".</param>
/// <param name="ReplicaCount">Replicas on reachable nodes.</param>
/// <param name="UnderReplicated">Fewer than R replicas on reachable nodes.</param>
/// <param name="BackedUpTo">Highest watermark of a reachable replica: the shard can be restored up to it.</param>
/// <param name="DurableOnR">Latest time R reachable replicas have: the shard is durable on R up to it.</param>
/// <param name="Records">Records of the most complete reachable replica.</param>
public sealed record ShardStatus(
    string Id,
    string Table,
    int Shard,
    string Range,
    int ReplicaCount,
    bool UnderReplicated,
    DateTimeOffset? BackedUpTo,
    DateTimeOffset? DurableOnR,
    long Records,
    IReadOnlyList<ShardReplica> Replicas);
