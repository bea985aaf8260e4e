using ActorBackup.Cluster.Messages;
using ActorBackup.Cluster.Replica;

namespace ActorBackup.Cluster.Repair.Commands;

/// <summary>A sibling asks for the count and digest of every id bucket of <paramref name="Replica"/> (<see cref="Replies.BucketDigests"/>).</summary>
public sealed record GetBucketDigests(ReplicaId Replica) : IBackupMessage;
