using ActorBackup.Cluster.Encryption;
using Microsoft.Data.Sqlite;

namespace ActorBackup.Cluster.Replica;

/// <summary>
/// The tables of the record index file (<see cref="ReplicaIndex"/>), created when missing, the move of a file
/// written by an earlier version into the current layout, and how the file writes ids (<see cref="IndexIds"/>), recorded
/// in it the first time. Earlier layouts: rows in one table keyed by id (<c>records</c>); then rows numbered per replica
/// (<c>stored</c>, keyed by replica and number, and <c>stored_ids</c>), which left the pages of every replica but the
/// last one part empty, as each replica appended into the middle of the tree; then the current tables with an index of
/// the rows by replica and timestamp (<c>stored_rows_by_time</c>, about 16 bytes a record), dropped since a replica's rows
/// are read through its id tree (<see cref="ReplicaRows"/>).
/// </summary>
/// <remarks>
/// Every replica of a node opens the same file, possibly at once: creation and move run in one write transaction,
/// so one of them does the move and the others find it done. Readers on other connections see either the old file or
/// the moved one, never a half-moved one.
/// </remarks>
internal static class IndexSchema
{
    /// <summary>
    /// Creates or moves the tables and settles how ids are written. A file whose ids are in clear, opened by a node that
    /// encrypts its data, is emptied in the same transaction so that its replicas rebuild it from the journal with sealed
    /// ids (the index is a projection of the journal). A file whose ids are sealed with a key the node does not hold is
    /// refused, and nothing changes.
    /// </summary>
    /// <param name="keys">The node's encryption keys, null when it writes in clear.</param>
    /// <param name="file">The file's path, for messages.</param>
    /// <exception cref="Settings.BackupSettingsException">The ids are sealed with a key the node does not hold (one line).</exception>
    public static PreparedIndex Create(SqliteConnection connection, KeyRing? keys, string file)
    {
        connection.CreateFunction("id_key", (string id) => IdKey.Of(id), isDeterministic: true);
        using var tx = connection.BeginTransaction();
        Execute(connection, tx, """
            CREATE TABLE IF NOT EXISTS replicas (key INTEGER PRIMARY KEY, persistence_id TEXT NOT NULL UNIQUE);
            CREATE TABLE IF NOT EXISTS stored_rows (
              n INTEGER PRIMARY KEY, replica INTEGER NOT NULL, id TEXT NOT NULL, timestamp INTEGER NOT NULL, seq INTEGER NOT NULL,
              digest BLOB NOT NULL);
            CREATE TABLE IF NOT EXISTS stored_row_ids (
              replica INTEGER NOT NULL, key INTEGER NOT NULL, n INTEGER NOT NULL, PRIMARY KEY (replica, key, n)) WITHOUT ROWID;
            CREATE TABLE IF NOT EXISTS quarantine (
              replica INTEGER NOT NULL, id TEXT NOT NULL, digest TEXT NOT NULL, timestamp INTEGER NOT NULL, seq INTEGER NOT NULL,
              reason TEXT NOT NULL, key INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (replica, id, digest)) WITHOUT ROWID;
            CREATE TABLE IF NOT EXISTS progress (replica INTEGER PRIMARY KEY, seq INTEGER NOT NULL);
            CREATE TABLE IF NOT EXISTS settings (name TEXT PRIMARY KEY, value TEXT NOT NULL);
            """);
        var moved = 0L;
        var droppedTimeIndex = Scalar(connection, tx, "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name = 'stored_rows_by_time'") is 1L;
        if (droppedTimeIndex) Execute(connection, tx, "DROP INDEX stored_rows_by_time;");
        if (HasTable(connection, tx, "records"))
        {
            moved = (long)Scalar(connection, tx, "SELECT count(*) FROM records")!;
            // Rows are numbered in journal order, as a flush would have appended them.
            Execute(connection, tx, """
                INSERT INTO stored_rows (replica, id, timestamp, seq, digest)
                  SELECT replica, id, timestamp, seq, digest FROM records ORDER BY replica, seq, id;
                INSERT INTO stored_row_ids (replica, key, n) SELECT replica, id_key(id), n FROM stored_rows;
                DROP TABLE records;
                """);
        }
        if (HasTable(connection, tx, "stored"))
        {
            moved = (long)Scalar(connection, tx, "SELECT count(*) FROM stored")!;
            // Each replica's rows were numbered on their own; here they get numbers of the whole file, in the same order, and
            // their keys (computed from ids in clear, which sealed ids no longer show) follow them.
            Execute(connection, tx, """
                CREATE TEMP TABLE renumbered (replica INTEGER NOT NULL, n INTEGER NOT NULL, moved INTEGER NOT NULL, PRIMARY KEY (replica, n)) WITHOUT ROWID;
                INSERT INTO temp.renumbered (replica, n, moved)
                  SELECT replica, n, coalesce((SELECT max(n) FROM stored_rows), 0) + row_number() OVER (ORDER BY replica, n) FROM stored;
                INSERT INTO stored_rows (n, replica, id, timestamp, seq, digest)
                  SELECT m.moved, s.replica, s.id, s.timestamp, s.seq, s.digest
                  FROM stored AS s CROSS JOIN temp.renumbered AS m ON m.replica = s.replica AND m.n = s.n ORDER BY m.moved;
                INSERT INTO stored_row_ids (replica, key, n)
                  SELECT i.replica, i.key, m.moved FROM stored_ids AS i CROSS JOIN temp.renumbered AS m ON m.replica = i.replica AND m.n = i.n;
                DROP TABLE temp.renumbered;
                DROP TABLE stored_ids;
                DROP TABLE stored;
                """);
        }
        KeyQuarantine(connection, tx);
        var (ids, emptied) = SettleIds(connection, tx, keys, file);
        tx.Commit();
        return new PreparedIndex(moved, emptied, ids, droppedTimeIndex);
    }

    /// <summary>
    /// Gives every quarantine entry its id's <see cref="IdKey"/>, which its rows are written with. Files of earlier versions
    /// lack the column; their ids are text, so SQL computes the keys.
    /// </summary>
    private static void KeyQuarantine(SqliteConnection connection, SqliteTransaction tx)
    {
        if (Scalar(connection, tx, "SELECT count(*) FROM pragma_table_info('quarantine') WHERE name = 'key'") is 0L)
            Execute(connection, tx, "ALTER TABLE quarantine ADD COLUMN key INTEGER NOT NULL DEFAULT 0; UPDATE quarantine SET key = id_key(id);");
        Execute(connection, tx, "CREATE INDEX IF NOT EXISTS quarantine_by_key ON quarantine (replica, key);");
    }

    private static (IndexIds Ids, bool Emptied) SettleIds(SqliteConnection connection, SqliteTransaction tx, KeyRing? keys, string file)
    {
        var wanted = IndexIds.For(keys);
        var recorded = Scalar(connection, tx, IndexIds.RecordedModeQuery) as string;
        // A file without the setting was written before ids could be packed or sealed: as text, unless it holds nothing yet.
        recorded ??= Scalar(connection, tx, "SELECT EXISTS (SELECT 1 FROM stored_rows) OR EXISTS (SELECT 1 FROM quarantine)") is 1L
            ? IndexIds.AsText.Mode
            : wanted.Mode;
        var emptied = false;
        if (wanted.KeyId is not null && (recorded == IndexIds.AsText.Mode || recorded == IndexIds.Packed.Mode))
        {
            // Deleted rows are overwritten, not only unlinked: the ids in clear must not stay in free pages.
            Execute(connection, tx, "PRAGMA secure_delete = ON; DELETE FROM stored_rows; DELETE FROM stored_row_ids; DELETE FROM quarantine; DELETE FROM progress;");
            recorded = wanted.Mode;
            emptied = true;
        }
        var ids = IndexIds.Of(recorded, keys, file);
        using var cmd = connection.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = "INSERT INTO settings (name, value) VALUES ('ids', $mode) ON CONFLICT (name) DO UPDATE SET value = excluded.value";
        cmd.Parameters.AddWithValue("$mode", ids.Mode);
        cmd.ExecuteNonQuery();
        return (ids, emptied);
    }

    private static object? Scalar(SqliteConnection connection, SqliteTransaction tx, string sql)
    {
        using var cmd = connection.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = sql;
        return cmd.ExecuteScalar();
    }

    private static bool HasTable(SqliteConnection connection, SqliteTransaction tx, string name)
    {
        using var cmd = connection.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = $name";
        cmd.Parameters.AddWithValue("$name", name);
        return (long)cmd.ExecuteScalar()! == 1;
    }

    private static void Execute(SqliteConnection connection, SqliteTransaction tx, string sql)
    {
        using var cmd = connection.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }
}
