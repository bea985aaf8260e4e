namespace ActorBackup.Tags;

/// <summary>
/// Replicas of a shard on original-tagged servers, backup-tagged servers, connected servers with neither tag, and
/// servers that are not connected (whose tags RethinkDB no longer shows).
/// </summary>
public readonly record struct ReplicaCounts(int Original, int Backup, int Other, int Disconnected);
