using Microsoft.Data.Sqlite;

namespace ActorBackup.Cluster.Replica;

/// <summary>
/// The tables of the record index file (<see cref="ReplicaIndex"/>), created when missing, and the move of a file
/// written by an earlier version, whose rows sat in one table keyed by id (<c>records</c>), into the current layout.
/// </summary>
/// <remarks>
/// Every replica of a node opens the same file, possibly at once: creation and move run in one write transaction,
/// so one of them does the move and the others find it done. Readers on other connections see either the old file or
/// the moved one, never a half-moved one.
/// </remarks>
internal static class IndexSchema
{
    /// <returns>The records moved from the earlier layout (0 when there was none).</returns>
    public static long Create(SqliteConnection connection)
    {
        connection.CreateFunction("id_key", (string id) => IdKey.Of(id), isDeterministic: true);
        using var tx = connection.BeginTransaction();
        Execute(connection, tx, """
            CREATE TABLE IF NOT EXISTS replicas (key INTEGER PRIMARY KEY, persistence_id TEXT NOT NULL UNIQUE);
            CREATE TABLE IF NOT EXISTS stored (
              replica INTEGER NOT NULL, n INTEGER NOT NULL, id TEXT NOT NULL, timestamp INTEGER NOT NULL, seq INTEGER NOT NULL,
              digest BLOB NOT NULL, PRIMARY KEY (replica, n)) WITHOUT ROWID;
            CREATE INDEX IF NOT EXISTS stored_by_time ON stored (replica, timestamp);
            CREATE TABLE IF NOT EXISTS stored_ids (
              replica INTEGER NOT NULL, key INTEGER NOT NULL, n INTEGER NOT NULL, PRIMARY KEY (replica, key, n)) WITHOUT ROWID;
            CREATE TABLE IF NOT EXISTS quarantine (
              replica INTEGER NOT NULL, id TEXT NOT NULL, digest TEXT NOT NULL, timestamp INTEGER NOT NULL, seq INTEGER NOT NULL,
              reason TEXT NOT NULL, PRIMARY KEY (replica, id, digest)) WITHOUT ROWID;
            CREATE TABLE IF NOT EXISTS progress (replica INTEGER PRIMARY KEY, seq INTEGER NOT NULL);
            """);
        var moved = 0L;
        if (HasTable(connection, tx, "records"))
        {
            using (var count = connection.CreateCommand())
            {
                count.Transaction = tx;
                count.CommandText = "SELECT count(*) FROM records";
                moved = (long)count.ExecuteScalar()!;
            }
            // Rows are numbered in journal order, as a flush would have appended them.
            Execute(connection, tx, """
                INSERT INTO stored (replica, n, id, timestamp, seq, digest)
                  SELECT replica, row_number() OVER (PARTITION BY replica ORDER BY seq, id), id, timestamp, seq, digest FROM records;
                INSERT INTO stored_ids (replica, key, n) SELECT replica, id_key(id), n FROM stored;
                DROP TABLE records;
                """);
        }
        tx.Commit();
        return moved;
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
