using ActorBackup.Admin.Contract;
using ActorBackup.Cluster.Messages;
using ActorBackup.Cluster.Reading;
using ActorBackup.Cluster.Replica;

namespace ActorBackup.Cluster.Repair.Replies;

/// <summary>
/// Every bucket's count and digest (<see cref="IdBuckets.Count"/> of them), and the point the replica attests, read
/// before the digests were computed: every record up to it is counted in them.
/// </summary>
/// <param name="Attested">
/// The point the replica established by its own evidence (<see cref="Commands.OwnPointEstablished"/>), at most its flushed
/// watermark; <see cref="Watermark.None"/> when it has none, even if its watermark was raised by repair.
/// </param>
public sealed record BucketDigests(ReplicaId Replica, Watermark Attested, IReadOnlyList<BucketDigest> Buckets) : IBackupMessage
{
    public bool Equals(BucketDigests? other) =>
        other is not null && Replica == other.Replica && Attested == other.Attested && Buckets.SequenceEqual(other.Buckets);

    public override int GetHashCode() => HashCode.Combine(Replica, Attested, Buckets.Count);
}
