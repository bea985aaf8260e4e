namespace ActorBackup.Cluster.Settings;

/// <summary>Where a node keeps its events and snapshots (<c>actorbackup.journal</c>).</summary>
public enum JournalKind
{
    /// <summary>One embedded SQLite file per node in the data directory.</summary>
    Sqlite,

    /// <summary>A PostgreSQL server reached through a connection string.</summary>
    PostgreSql,
}
