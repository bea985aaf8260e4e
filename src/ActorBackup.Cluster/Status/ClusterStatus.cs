namespace ActorBackup.Cluster.Status;

/// <summary>
/// The backup cluster as one node sees it: the JSON of <c>GET /status</c>. Times are UTC; a null time
/// means "not yet" (no replica has a watermark).
/// </summary>
/// <param name="Node">Address of the node that computed it.</param>
/// <param name="Replicas">The R of the deployment.</param>
/// <param name="RestorablePoint">Latest time every shard has on at least one reachable replica.</param>
/// <param name="RpoSeconds">Now minus <paramref name="RestorablePoint"/>.</param>
/// <param name="Quarantined">Records held in quarantine, each shard counted once.</param>
public sealed record ClusterStatus(
    string Node,
    DateTimeOffset At,
    int Replicas,
    IReadOnlyList<MemberEntry> Members,
    IReadOnlyList<ShardStatus> Shards,
    DateTimeOffset? RestorablePoint,
    long? RpoSeconds,
    long Quarantined);

/// <summary>One member of the cluster.</summary>
/// <param name="Status">Akka membership status in lower case: joining, weakly-up, up, leaving, exiting, down.</param>
public sealed record MemberEntry(string Address, string Region, string Status, bool Reachable);

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

/// <summary>One replica of a shard.</summary>
/// <param name="Watermark">Flushed watermark: every record of the range up to it is on the node's disk.</param>
/// <param name="Durable">How many reachable replicas of the shard (this one included) hold this watermark; 0 when unreachable or without one.</param>
public sealed record ShardReplica(
    string Node,
    string Region,
    bool Reachable,
    long Records,
    long Quarantined,
    DateTimeOffset? Watermark,
    int Durable);
