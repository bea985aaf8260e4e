using ActorBackup.Admin.Contract;
using ActorBackup.Cluster.Replica;
using ActorBackup.Cluster.Sharding;

namespace ActorBackup.Cluster.Capture.Sources;

/// <summary>One attempt to capture a replica's range.</summary>
/// <param name="Replica">The table and shard.</param>
/// <param name="Range">The primary-key range of the shard.</param>
/// <param name="ScanFrom">The scan selects records with a timestamp at or after this; <see cref="Watermark.None"/> scans the whole range.</param>
/// <param name="FirstSource">Index of the source to try first; each failed attempt moves to the next one.</param>
public sealed record CaptureRequest(ReplicaId Replica, ShardRange Range, Watermark ScanFrom, int FirstSource);
