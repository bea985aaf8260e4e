using System.Data.Common;
using System.Diagnostics;
using ActorBackup.Cluster.Settings;
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
/// It is created once the plugin has created its table and before any replica starts; an earlier journal is indexed at
/// its first start with this version, in one pass.
/// The index only speeds reads up: a node that cannot create it (a PostgreSQL role that does not own the table, a
/// read-only file) starts without it and says so. On PostgreSQL, which nodes may share, one node at a time builds it
/// (under an advisory lock, which the others poll for, without waiting inside a statement, at most the node's start
/// timeout) and CONCURRENTLY, so the running nodes of a rolling upgrade keep writing while it is built; an index a failed
/// build left invalid is built again by the next node that takes the lock at once.
/// </remarks>
public static class JournalLookupIndex
{
    public const string Name = "journal_by_persistence_id";

    private const string CreateSqlite = $"CREATE INDEX IF NOT EXISTS {Name} ON journal (persistence_id, sequence_number)";
    private const string CreatePostgreSql = $"CREATE INDEX CONCURRENTLY IF NOT EXISTS {Name} ON journal (persistence_id, sequence_number)";
    /// <summary>The advisory lock a node holds while it builds the index on PostgreSQL, as SQL.</summary>
    internal const string AdvisoryKey = "hashtextextended('actorbackup journal index', 0)";
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(500);

    /// <summary>What <see cref="Ensure"/> did.</summary>
    /// <param name="Created">The index was built now (false: it was there, or could not be built).</param>
    /// <param name="NotIndexed">Why the journal is still without it, in one line; null when it has it.</param>
    public readonly record struct Outcome(bool Created, string? NotIndexed);

    private enum State { Absent, Invalid, Valid }

    /// <summary>Creates the index if the journal lacks it; never throws for a journal it cannot index.</summary>
    /// <param name="wait">Longest this node waits while another node builds the index on a shared PostgreSQL database.</param>
    public static Outcome Ensure(BackupSettings settings, TimeSpan wait)
    {
        try
        {
            using var connection = Open(settings);
            if (settings.Journal != JournalKind.Sqlite)
                return EnsurePostgreSql(connection, wait);
            if (StateOf(connection, JournalKind.Sqlite) == State.Valid) return new Outcome(false, null);
            Execute(connection, CreateSqlite);
            return new Outcome(true, null);
        }
        catch (DbException e)
        {
            return new Outcome(false, $"could not be indexed by persistence id ({e.Message.ReplaceLineEndings(" ")}): each read of one replica's events scans it whole until a start indexes it");
        }
    }

    /// <summary>Whether the journal has the index, built and valid.</summary>
    public static bool Exists(BackupSettings settings)
    {
        using var connection = Open(settings);
        return StateOf(connection, settings.Journal) == State.Valid;
    }

    /// <summary>
    /// Builds the index if this node takes the lock at once; a node that finds another building it waits for that build,
    /// at most <paramref name="wait"/>, and does not build it again if that build failed (the next start does).
    /// </summary>
    private static Outcome EnsurePostgreSql(DbConnection connection, TimeSpan wait)
    {
        var clock = Stopwatch.StartNew();
        var waited = false;
        while (!(bool)Scalar(connection, $"SELECT pg_try_advisory_lock({AdvisoryKey})")!)
        {
            waited = true;
            if (StateOf(connection, JournalKind.PostgreSql) == State.Valid) return new Outcome(false, null);
            if (clock.Elapsed + Poll > wait)
                return new Outcome(false, $"is being indexed by persistence id by another node for more than {wait.TotalSeconds:0} s; this node starts without waiting for it");
            Thread.Sleep(Poll);
        }
        try
        {
            var state = StateOf(connection, JournalKind.PostgreSql);
            if (state == State.Valid) return new Outcome(false, null);
            if (waited)
                return new Outcome(false, "was not indexed by persistence id by the node that was building the index (its build failed); the next start builds it");
            if (state == State.Invalid) Execute(connection, $"DROP INDEX CONCURRENTLY IF EXISTS {Name}");
            Execute(connection, CreatePostgreSql);
            return new Outcome(true, null);
        }
        finally
        {
            // The session's end releases the lock as well: a connection the build lost is left to that.
            if (connection.State == System.Data.ConnectionState.Open)
            {
                try
                {
                    Scalar(connection, $"SELECT pg_advisory_unlock({AdvisoryKey})");
                }
                catch (Exception e) when (e is DbException or InvalidOperationException)
                {
                }
            }
        }
    }

    /// <summary>
    /// The index of the table <c>journal</c> as the connection's search path finds it (as the plugin and compaction name
    /// it), on PostgreSQL whether it was built (a CONCURRENTLY build that failed leaves it invalid).
    /// </summary>
    private static State StateOf(DbConnection connection, JournalKind kind)
    {
        var valid = Scalar(connection, kind == JournalKind.Sqlite
            ? $"SELECT 1 FROM sqlite_master WHERE type = 'index' AND tbl_name = 'journal' AND name = '{Name}'"
            : $"SELECT i.indisvalid FROM pg_index AS i JOIN pg_class AS c ON c.oid = i.indexrelid WHERE i.indrelid = to_regclass('journal') AND c.relname = '{Name}'");
        return valid switch
        {
            null or DBNull => State.Absent,
            false => State.Invalid,
            _ => State.Valid,
        };
    }

    private static object? Scalar(DbConnection connection, string sql)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        return cmd.ExecuteScalar();
    }

    private static void Execute(DbConnection connection, string sql)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        // Indexing a large journal an earlier version wrote takes a pass over it. On SQLite the command timeout is the
        // wait for the write lock, which the connection's default bounds.
        if (connection is NpgsqlConnection) cmd.CommandTimeout = 0;
        cmd.ExecuteNonQuery();
    }

    private static DbConnection Open(BackupSettings settings) => JournalCompaction.Open(settings.Journal, settings.Journal == JournalKind.Sqlite
        ? JournalCompaction.SqliteConnectionString(settings)
        // Keepalives, so that a build on a connection a firewall or a failover dropped ends instead of waiting for good.
        : new NpgsqlConnectionStringBuilder(settings.PostgreSqlConnectionString) { KeepAlive = 30 }.ToString());
}
