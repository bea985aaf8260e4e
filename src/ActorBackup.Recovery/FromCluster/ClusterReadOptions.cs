namespace ActorBackup.Recovery.FromCluster;

/// <summary>
/// How a read of the backup cluster keeps track of the records it gave, to skip them when a shard fails over to
/// another replica. <paramref name="IdsInMemory"/>: ids of one shard held in memory (about 170 bytes each) before they
/// move to a temporary SQLite file; <paramref name="CacheKib"/>: that file's page cache; <paramref name="TempDirectory"/>:
/// where it goes (the system's temporary folder when null). The file is deleted as soon as the shard is read.
/// </summary>
public sealed record ClusterReadOptions(int IdsInMemory = 4_096, int CacheKib = 2048, string? TempDirectory = null)
{
    public static ClusterReadOptions Default { get; } = new();
}
