namespace ActorBackup.Cluster.Reading;

/// <summary>
/// A contiguous slice of a shard's ids, left closed, right open, in the order of
/// <see cref="Sharding.ShardRange"/>; a null bound is the shard's open end.
/// </summary>
public sealed record IdBucket(int Index, string? Lower, string? Upper);
