namespace ActorBackup.Admin.Contract.Status;

/// <summary>
/// The backup cluster as one node sees it: the JSON of <c>GET /status</c>. Times are UTC, in the sources' clock as
/// the node measured it (watermarks are); a null time means "not yet" (no replica has a watermark).
/// </summary>
/// <param name="Node">Address of the node that computed it.</param>
/// <param name="At">When it was computed.</param>
/// <param name="Replicas">The R of the deployment.</param>
/// <param name="RestorablePoint">Latest time every shard has on at least one reachable replica.</param>
/// <param name="RpoSeconds">Now minus <paramref name="RestorablePoint"/>.</param>
/// <param name="Quarantined">Records held in quarantine, each shard counted once.</param>
/// <param name="RestorablePointBasis">What the restorable point rests on: the weakest basis of the replicas carrying it; null without a point.</param>
/// <param name="Sources">The federation's RethinkDB servers as the node that answered sees them: its connections and their clocks.</param>
public sealed record ClusterStatus(
    string Node,
    DateTimeOffset At,
    int Replicas,
    IReadOnlyList<MemberEntry> Members,
    IReadOnlyList<ShardStatus> Shards,
    DateTimeOffset? RestorablePoint,
    long? RpoSeconds,
    long Quarantined,
    WatermarkBasis? RestorablePointBasis = null,
    IReadOnlyList<SourceEntry>? Sources = null);
