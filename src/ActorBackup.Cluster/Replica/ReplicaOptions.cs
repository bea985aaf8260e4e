using ActorBackup.Cluster.Journal;
using ActorBackup.Cluster.Settings;

namespace ActorBackup.Cluster.Replica;

/// <summary>What a <see cref="ReplicaActor"/> needs from the node's settings.</summary>
/// <param name="Shards">Shard count of the key space (to check records belong here).</param>
/// <param name="SnapshotEvery">Events between two snapshots.</param>
/// <param name="IndexFile">The node's record index file.</param>
/// <param name="Index">How the replica keeps the record index up to date (<c>actorbackup.record-index</c>).</param>
public sealed record ReplicaOptions(int Shards, int SnapshotEvery, string IndexFile, RecordIndexSettings Index)
{
    public static ReplicaOptions From(BackupSettings settings) =>
        new(settings.Shards, settings.SnapshotEvery, JournalConfig.IndexFile(settings), settings.RecordIndex);
}
