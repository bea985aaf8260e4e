using ActorBackup.Cluster.Journal;
using ActorBackup.Cluster.Settings;

namespace ActorBackup.Cluster.Replica;

/// <summary>What a <see cref="ReplicaActor"/> needs from the node's settings.</summary>
/// <param name="Shards">Shard count of the key space (to check records belong here).</param>
/// <param name="SnapshotEvery">Events between two snapshots.</param>
/// <param name="IndexFile">The node's record index file.</param>
/// <param name="Index">How the replica keeps the record index up to date (<c>actorbackup.record-index</c>).</param>
/// <param name="Quarantine">How much of the quarantine the replica keeps (<c>actorbackup.quarantine</c>).</param>
/// <param name="Compaction">How the replica merges its small journal events (<c>actorbackup.storage.compact-every</c>).</param>
public sealed record ReplicaOptions(int Shards, int SnapshotEvery, string IndexFile, RecordIndexSettings Index, QuarantineOptions Quarantine,
    CompactionOptions Compaction)
{
    public static ReplicaOptions From(BackupSettings settings) =>
        new(settings.Shards, settings.SnapshotEvery, JournalConfig.IndexFile(settings), settings.RecordIndex, QuarantineOptions.From(settings.Storage),
            CompactionOptions.From(settings));
}

/// <param name="Every">Events written between two compactions; 0 when the replica never compacts.</param>
/// <param name="Journal">Which database holds the journal.</param>
/// <param name="ConnectionString">Its connection string (for SQLite, of the node's journal file).</param>
/// <param name="Bounds">The bounds of a batch, which a merged event keeps as well.</param>
public sealed record CompactionOptions(int Every, JournalKind Journal, string ConnectionString, BatchSettings Bounds)
{
    public static CompactionOptions From(BackupSettings settings) => new(
        settings.Storage.CompactEvery, settings.Journal,
        settings.Journal == JournalKind.Sqlite ? JournalCompaction.SqliteConnectionString(settings) : settings.PostgreSqlConnectionString!,
        settings.Batch);
}

/// <param name="PrefixBytes">Most bytes of a quarantined document kept as evidence.</param>
/// <param name="MaxBytes">Most bytes of quarantine entries the replica keeps; past it they are only counted.</param>
public sealed record QuarantineOptions(int PrefixBytes, long MaxBytes)
{
    public static QuarantineOptions From(StorageSettings storage) => new(storage.QuarantinePrefixBytes, storage.QuarantineMaxBytes);
}
