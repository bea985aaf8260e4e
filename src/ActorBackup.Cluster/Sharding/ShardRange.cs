namespace ActorBackup.Cluster.Sharding;

/// <summary>
/// The primary keys of one shard, for RethinkDB <c>between(Lower, Upper)</c> on the primary index:
/// left closed, right open. A null <see cref="Lower"/> stands for <c>r.minval</c>, a null
/// <see cref="Upper"/> for <c>r.maxval</c>, so the ranges of a key space cover every key.
/// </summary>
public sealed record ShardRange(int Shard, string? Lower, string? Upper)
{
    /// <summary>Whether the key falls in this range, in the order RethinkDB sorts string keys.</summary>
    public bool Contains(string id) =>
        (Lower is null || KeyOrder.Compare(Lower, id) <= 0) && (Upper is null || KeyOrder.Compare(id, Upper) < 0);

    public override string ToString() => $"shard {Shard} [{Lower ?? "minval"}, {Upper ?? "maxval"})";
}
