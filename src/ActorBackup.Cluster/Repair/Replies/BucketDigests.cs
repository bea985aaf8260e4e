using ActorBackup.Admin.Contract;
using ActorBackup.Cluster.Messages;
using ActorBackup.Cluster.Reading;
using ActorBackup.Cluster.Replica;

namespace ActorBackup.Cluster.Repair.Replies;

/// <summary>
/// Every bucket's count and digest (<see cref="IdBuckets.Count"/> of them), and the replica's flushed
/// watermark read before the digests were computed: every record up to it is counted in them.
/// </summary>
public sealed record BucketDigests(ReplicaId Replica, Watermark BackedUpTo, IReadOnlyList<BucketDigest> Buckets) : IBackupMessage
{
    public bool Equals(BucketDigests? other) =>
        other is not null && Replica == other.Replica && BackedUpTo == other.BackedUpTo && Buckets.SequenceEqual(other.Buckets);

    public override int GetHashCode() => HashCode.Combine(Replica, BackedUpTo, Buckets.Count);
}
