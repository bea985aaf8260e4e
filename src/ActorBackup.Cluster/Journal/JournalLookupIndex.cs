using System.Data.Common;
using ActorBackup.Cluster.Settings;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace ActorBackup.Cluster.Journal;

/// <summary>
/// The index of the journal's rows by persistence id and sequence number, which every read of one entity's events goes
/// through: a replica's recovery and highest sequence number, the deletion of older capture points, compaction.
/// </summary>
/// <remarks>
/// The SQL plugin creates its journal table keyed by its ordering column alone, on SQLite and PostgreSQL: each of those
/// reads then scanned the whole table, and a node reads one replica's events several times a minute (capture points, a
/// compaction every <c>actorbackup.storage.compact-every</c> events), so the work of each grew with everything the node
/// holds. The index costs about 33 bytes a journal row; rows are events, each holding a batch of records once merged.
/// It is created once the plugin has created its table and before any replica starts (an earlier journal is indexed at
/// its first start with this version, which takes one pass over it).
/// </remarks>
public static class JournalLookupIndex
{
    public const string Name = "journal_by_persistence_id";

    private const string CreateStatement = $"CREATE INDEX IF NOT EXISTS {Name} ON journal (persistence_id, sequence_number)";

    /// <summary>Creates the index if the journal lacks it.</summary>
    /// <returns>Whether it was created now (false: it was there).</returns>
    public static bool Ensure(BackupSettings settings)
    {
        using var connection = Open(settings);
        var existed = Exists(connection, settings.Journal);
        if (existed) return false;
        using var cmd = connection.CreateCommand();
        cmd.CommandText = CreateStatement;
        // Indexing a large journal written by an earlier version takes a pass over it; nothing else writes yet.
        cmd.CommandTimeout = 0;
        cmd.ExecuteNonQuery();
        return true;
    }

    /// <summary>Whether the journal has the index.</summary>
    public static bool Exists(BackupSettings settings)
    {
        using var connection = Open(settings);
        return Exists(connection, settings.Journal);
    }

    private static bool Exists(DbConnection connection, JournalKind kind)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = kind == JournalKind.Sqlite
            ? $"SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name = '{Name}'"
            : $"SELECT count(*) FROM pg_indexes WHERE schemaname = current_schema() AND indexname = '{Name}'";
        return Convert.ToInt64(cmd.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) > 0;
    }

    private static DbConnection Open(BackupSettings settings)
    {
        DbConnection connection = settings.Journal == JournalKind.Sqlite
            ? new SqliteConnection(JournalCompaction.SqliteConnectionString(settings))
            : new NpgsqlConnection(settings.PostgreSqlConnectionString);
        try
        {
            connection.Open();
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }
}
