namespace ActorBackup.Cluster.Replica.Replies;

/// <summary>The index file is written up to <paramref name="Status"/>, the replica's status when it was flushed.</summary>
public sealed record IndexFlushed(ReplicaStatus Status);
