using ActorBackup.Cluster.Messages;
using ActorBackup.Cluster.Replica;

namespace ActorBackup.Cluster.Repair.Commands;

/// <summary>
/// A sibling asks for one page of the ids stored in a bucket (<see cref="Replies.BucketIds"/>).
/// </summary>
/// <param name="After">The <see cref="Replies.BucketIds.Next"/> of the previous page, null for the first.</param>
public sealed record GetBucketIds(ReplicaId Replica, int Bucket, string? After) : IBackupMessage;
