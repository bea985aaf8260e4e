using ActorBackup.Cluster.Records;

namespace ActorBackup.Cluster.Reading;

/// <summary>How many stored records a bucket holds and their order-independent <see cref="ShardDigest"/>.</summary>
public readonly record struct BucketDigest(long Count, ShardDigest Digest)
{
    public static BucketDigest Empty => new(0, ShardDigest.Empty);

    public BucketDigest Add(ReadOnlySpan<byte> recordDigest) => new(Count + 1, Digest.Add(recordDigest));
}
