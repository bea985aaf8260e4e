using ActorBackup.Cluster.Messages;
using ActorBackup.Cluster.Replica;

namespace ActorBackup.Cluster.Repair.Replies;

/// <summary>One page of a bucket's stored ids, in id order.</summary>
/// <param name="Next">Pass as <see cref="Commands.GetBucketIds.After"/> for the next page; null when this was the last.</param>
public sealed record BucketIds(ReplicaId Replica, int Bucket, IReadOnlyList<string> Ids, string? Next) : IBackupMessage
{
    public bool Equals(BucketIds? other) =>
        other is not null && Replica == other.Replica && Bucket == other.Bucket && Next == other.Next && Ids.SequenceEqual(other.Ids);

    public override int GetHashCode() => HashCode.Combine(Replica, Bucket, Ids.Count, Next);
}
