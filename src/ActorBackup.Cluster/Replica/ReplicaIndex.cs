using System.Text.Json;
using ActorBackup.Cluster.Positions;
using ActorBackup.Cluster.Records;
using ActorBackup.Cluster.Replica.Events;
using Microsoft.Data.Sqlite;

namespace ActorBackup.Cluster.Replica;

/// <summary>
/// The node-local SQLite index of what one replica stored: id, timestamp, journal sequence number and
/// digest of every record, so that deduplication, counts, digests and point-in-time selection never
/// need the ids in memory. It is a projection of the journal, written after the journal confirmed an
/// event, idempotent when an event is applied twice, and it records up to which sequence number it
/// is complete so that recovery replays exactly what it misses.
/// </summary>
/// <remarks>
/// Confirmed events are buffered and written in one transaction per <see cref="Flush"/>: ids are random, so
/// every record lands on its own B-tree page, and a transaction per journal batch rewrote (WAL, then
/// checkpoint) about one page per record. The buffer holds only ids, timestamps and digests, at most
/// <see cref="FlushRecords"/> of them; lookups see it, other connections see the file and so may lag by
/// what is buffered. A crash loses the buffer with nothing else: the progress mark was not moved
/// either, and recovery replays those events from the journal.
/// The duplicate check asks the file only about ids an <see cref="IdFilter"/> (about a byte per stored id up to a
/// fixed limit, filled from the file when the index opens) cannot rule out: random ids cost a B-tree descent through uncached pages each.
/// </remarks>
public sealed class ReplicaIndex : IDisposable
{
    /// <summary>Buffered records after which <see cref="Apply"/> writes the buffer.</summary>
    public const int FlushRecords = 25_000;

    // Rows per multi-row insert: a batch of records is inserted with a few statements instead of one per record. Not more: Microsoft.Data.Sqlite binds each parameter by name, and SQLite
    // finds a name by a linear search, so binding a statement costs the square of its parameter count.
    private const int RowsPerStatement = 16;

    private readonly SqliteConnection _connection;
    private readonly RowStatements _inserts;
    private SqliteCommand? _lookup;
    private readonly List<PendingRecord> _pendingRecords = [];
    private readonly List<PendingQuarantine> _pendingQuarantine = [];
    private readonly HashSet<string> _pendingIds = new(StringComparer.Ordinal);
    private readonly IdFilter _stored = new();
    private readonly HashSet<QuarantineKey> _pendingKeys = [];
    private long _pendingUpTo;
    private long _replica;

    private readonly record struct PendingRecord(string Id, long Timestamp, long Seq, byte[] Digest);

    private readonly record struct PendingQuarantine(QuarantineKey Key, long Timestamp, long Seq, string Reason);

    private ReplicaIndex(SqliteConnection connection)
    {
        _connection = connection;
        _inserts = new RowStatements(this, rows => "INSERT OR IGNORE INTO records (replica, id, timestamp, seq, digest) VALUES "
            + string.Join(", ", Enumerable.Range(0, rows).Select(i => $"($r, $id{i}, $t{i}, $s{i}, $d{i})")),
            (parameters, rows) =>
            {
                for (var i = 0; i < rows; i++)
                {
                    parameters.Add($"$id{i}", SqliteType.Text);
                    parameters.Add($"$t{i}", SqliteType.Integer);
                    parameters.Add($"$s{i}", SqliteType.Integer);
                    parameters.Add($"$d{i}", SqliteType.Blob);
                }
            });
    }

    /// <summary>Opens (creating if needed) the index file and the replica's part of it.</summary>
    public static ReplicaIndex Open(string path, ReplicaId replica)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false, DefaultTimeout = 60 }.ToString());
        connection.Open();
        var index = new ReplicaIndex(connection);
        // synchronous=NORMAL is enough here, unlike in the journal: after a power loss the index may
        // lose its last transactions, but its progress row rolls back with them and recovery replays
        // the missing events from the fsync'd journal.
        // A checkpoint every 8192 pages (32 MiB of WAL) instead of 1000: a page that several flushes
        // rewrote is copied into the file once.
        index.Execute("""
            PRAGMA journal_mode = WAL;
            PRAGMA synchronous = NORMAL;
            PRAGMA wal_autocheckpoint = 8192;
            PRAGMA cache_size = -12288;
            PRAGMA busy_timeout = 60000;
            CREATE TABLE IF NOT EXISTS replicas (key INTEGER PRIMARY KEY, persistence_id TEXT NOT NULL UNIQUE);
            CREATE TABLE IF NOT EXISTS records (
              replica INTEGER NOT NULL, id TEXT NOT NULL, timestamp INTEGER NOT NULL, seq INTEGER NOT NULL, digest BLOB NOT NULL,
              PRIMARY KEY (replica, id)) WITHOUT ROWID;
            CREATE INDEX IF NOT EXISTS records_by_time ON records (replica, timestamp);
            CREATE TABLE IF NOT EXISTS quarantine (
              replica INTEGER NOT NULL, id TEXT NOT NULL, digest TEXT NOT NULL, timestamp INTEGER NOT NULL, seq INTEGER NOT NULL,
              reason TEXT NOT NULL, PRIMARY KEY (replica, id, digest)) WITHOUT ROWID;
            CREATE TABLE IF NOT EXISTS progress (replica INTEGER PRIMARY KEY, seq INTEGER NOT NULL);
            """);
        index._replica = index.KeyOf(replica);
        index.LoadFilter();
        return index;
    }

    /// <summary>The journal sequence number up to which every event of the replica is in the index, buffer included (0 for none).</summary>
    public long IndexedUpTo => HasPending ? _pendingUpTo : WrittenUpTo();

    /// <summary>Whether confirmed events wait in the buffer for <see cref="Flush"/>.</summary>
    public bool HasPending => _pendingUpTo > 0;

    /// <summary>Which of the ids are stored.</summary>
    public IReadOnlySet<string> FindStored(IEnumerable<string> ids)
    {
        var found = new HashSet<string>(StringComparer.Ordinal);
        // Only ids the filter cannot rule out are looked up: one statement for the whole batch, its ids passed as one
        // JSON array and looked up in id order, so consecutive lookups descend through the same interior pages.
        var sorted = ids.Where(_stored.MightContain).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        if (sorted.Length == 0) return found;
        if (_lookup is null)
        {
            _lookup = Command("SELECT r.id FROM json_each($ids) AS j CROSS JOIN records AS r ON r.replica = $r AND r.id = j.value");
            _lookup.Parameters.Add("$ids", SqliteType.Text);
        }
        _lookup.Parameters[1].Value = JsonSerializer.Serialize(sorted);
        using (var reader = _lookup.ExecuteReader())
        {
            while (reader.Read()) found.Add(reader.GetString(0));
        }
        foreach (var id in sorted)
            if (_pendingIds.Contains(id)) found.Add(id);
        return found;
    }

    /// <summary>Which of the quarantine keys are kept.</summary>
    public IReadOnlySet<QuarantineKey> FindQuarantined(IEnumerable<QuarantineKey> keys)
    {
        var found = new HashSet<QuarantineKey>();
        using var cmd = Command("SELECT 1 FROM quarantine WHERE replica = $r AND id = $id AND digest = $d");
        var id = cmd.Parameters.Add("$id", SqliteType.Text);
        var digest = cmd.Parameters.Add("$d", SqliteType.Text);
        foreach (var key in keys)
        {
            id.Value = key.Id;
            digest.Value = key.DigestHex;
            if (_pendingKeys.Contains(key) || cmd.ExecuteScalar() is not null) found.Add(key);
        }
        return found;
    }

    /// <summary>
    /// Adds what a journal event stored to the buffer, and writes the buffer once it holds <see cref="FlushRecords"/>
    /// records. Applying an event twice changes nothing.
    /// </summary>
    public void Apply(long sequenceNr, IReplicaEvent @event)
    {
        switch (@event)
        {
            case RecordsStored stored:
                foreach (var r in stored.Records)
                {
                    _stored.Add(r.Id);
                    if (_pendingIds.Add(r.Id)) _pendingRecords.Add(new PendingRecord(r.Id, r.Timestamp, sequenceNr, RecordDigest.Of(r)));
                }
                break;
            case RecordsQuarantined quarantined:
                foreach (var q in quarantined.Records)
                {
                    var key = QuarantineKey.Of(q);
                    if (_pendingKeys.Add(key)) _pendingQuarantine.Add(new PendingQuarantine(key, q.Record.Timestamp, sequenceNr, q.ReasonCode));
                }
                break;
        }
        _pendingUpTo = Math.Max(_pendingUpTo, sequenceNr);
        if (_pendingRecords.Count + _pendingQuarantine.Count >= FlushRecords) Flush();
    }

    /// <summary>Writes the buffer in one transaction with the progress mark.</summary>
    public void Flush()
    {
        if (!HasPending) return;
        using var tx = _connection.BeginTransaction();
        // In id order, consecutive inserts that share a B-tree page find it in the page cache.
        _pendingRecords.Sort((a, b) => string.CompareOrdinal(a.Id, b.Id));
        foreach (var chunk in _pendingRecords.Chunk(RowsPerStatement))
        {
            var cmd = _inserts.For(chunk.Length, tx);
            for (var i = 0; i < chunk.Length; i++)
                (cmd.Parameters[1 + 4 * i].Value, cmd.Parameters[2 + 4 * i].Value, cmd.Parameters[3 + 4 * i].Value, cmd.Parameters[4 + 4 * i].Value)
                    = (chunk[i].Id, chunk[i].Timestamp, chunk[i].Seq, chunk[i].Digest);
            cmd.ExecuteNonQuery();
        }
        if (_pendingQuarantine.Count > 0)
        {
            using var cmd = Command("INSERT OR IGNORE INTO quarantine (replica, id, digest, timestamp, seq, reason) VALUES ($r, $id, $d, $t, $s, $why)", tx);
            var (id, d, t, s, why) = (cmd.Parameters.Add("$id", SqliteType.Text), cmd.Parameters.Add("$d", SqliteType.Text),
                cmd.Parameters.Add("$t", SqliteType.Integer), cmd.Parameters.Add("$s", SqliteType.Integer), cmd.Parameters.Add("$why", SqliteType.Text));
            foreach (var q in _pendingQuarantine)
            {
                (id.Value, d.Value, t.Value, s.Value, why.Value) = (q.Key.Id, q.Key.DigestHex, q.Timestamp, q.Seq, q.Reason);
                cmd.ExecuteNonQuery();
            }
        }
        using (var progress = Command("INSERT INTO progress (replica, seq) VALUES ($r, $s) ON CONFLICT (replica) DO UPDATE SET seq = max(seq, excluded.seq)", tx))
        {
            progress.Parameters.AddWithValue("$s", _pendingUpTo);
            progress.ExecuteNonQuery();
        }
        tx.Commit();
        ClearPending();
    }

    /// <summary>Forgets everything of this replica, so the next recovery rebuilds it from the whole journal.</summary>
    public void Reset()
    {
        ClearPending();
        _stored.Clear();
        using var tx = _connection.BeginTransaction();
        foreach (var table in new[] { "records", "quarantine", "progress" })
        {
            using var cmd = Command($"DELETE FROM {table} WHERE replica = $r", tx);
            cmd.ExecuteNonQuery();
        }
        tx.Commit();
    }

    /// <summary>Count and digest of the stored records with a timestamp up to <paramref name="at"/>.</summary>
    public (long Count, ShardDigest Digest) DigestAt(Watermark at)
    {
        Flush();
        var count = 0L;
        var digest = ShardDigest.Empty;
        foreach (var row in StoredAt(at))
        {
            count++;
            digest = digest.Add(row.Digest);
        }
        return (count, digest);
    }

    /// <summary>
    /// The stored records with a timestamp up to <paramref name="at"/>, in timestamp order, streamed
    /// from disk: what a point-in-time restore of this shard reads from the journal.
    /// </summary>
    public IEnumerable<IndexedRecord> StoredAt(Watermark at)
    {
        Flush();
        return at.IsNone ? [] : ReadStoredAt(at);
    }

    private IEnumerable<IndexedRecord> ReadStoredAt(Watermark at)
    {
        using var cmd = Command("SELECT id, timestamp, seq, digest FROM records WHERE replica = $r AND timestamp <= $t ORDER BY timestamp, id");
        cmd.Parameters.AddWithValue("$t", at.Seconds);
        using var reader = cmd.ExecuteReader();
        while (reader.Read())
            yield return new IndexedRecord(reader.GetString(0), reader.GetInt64(1), reader.GetInt64(2), (byte[])reader[3]);
    }

    /// <summary>Writes the buffer, then closes the file.</summary>
    public void Dispose()
    {
        try
        {
            Flush();
        }
        finally
        {
            _inserts.Dispose();
            _lookup?.Dispose();
            _connection.Dispose();
        }
    }

    private void LoadFilter()
    {
        using var cmd = Command("SELECT id FROM records WHERE replica = $r");
        using var reader = cmd.ExecuteReader();
        while (reader.Read()) _stored.Add(reader.GetString(0));
    }

    private long WrittenUpTo()
    {
        using var cmd = Command("SELECT seq FROM progress WHERE replica = $r");
        return cmd.ExecuteScalar() is long seq ? seq : 0;
    }

    private void ClearPending()
    {
        _pendingRecords.Clear();
        _pendingQuarantine.Clear();
        _pendingIds.Clear();
        _pendingKeys.Clear();
        _pendingUpTo = 0;
    }

    // Rows carry a small integer instead of the persistence id: the index holds a row per record,
    // and the id would be repeated in every row and in the by-time index.
    private long KeyOf(ReplicaId replica)
    {
        using var cmd = _connection.CreateCommand();
        cmd.CommandText = """
            INSERT INTO replicas (persistence_id) VALUES ($p) ON CONFLICT (persistence_id) DO NOTHING;
            SELECT key FROM replicas WHERE persistence_id = $p;
            """;
        cmd.Parameters.AddWithValue("$p", replica.PersistenceId);
        return (long)cmd.ExecuteScalar()!;
    }

    private void Execute(string sql)
    {
        using var cmd = _connection.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }

    private SqliteCommand Command(string sql, SqliteTransaction? tx = null)
    {
        var cmd = _connection.CreateCommand();
        cmd.CommandText = sql;
        cmd.Transaction = tx;
        cmd.Parameters.AddWithValue("$r", _replica);
        return cmd;
    }

    /// <summary>
    /// Statements over a number of rows, kept prepared for the full chunk size and for the last partial size used:
    /// a steady stream of equal batches prepares nothing after the first.
    /// </summary>
    private sealed class RowStatements(ReplicaIndex index, Func<int, string> sql, Action<SqliteParameterCollection, int> parameters) : IDisposable
    {
        private readonly Dictionary<int, SqliteCommand> _byRows = [];

        public SqliteCommand For(int rows, SqliteTransaction tx)
        {
            if (!_byRows.TryGetValue(rows, out var cmd))
            {
                if (rows != RowsPerStatement && _byRows.Count > 1)
                {
                    foreach (var stale in _byRows.Where(p => p.Key != RowsPerStatement).ToList())
                    {
                        stale.Value.Dispose();
                        _byRows.Remove(stale.Key);
                    }
                }
                cmd = index.Command(sql(rows));
                parameters(cmd.Parameters, rows);
                _byRows[rows] = cmd;
            }
            cmd.Transaction = tx;
            return cmd;
        }

        public void Dispose()
        {
            foreach (var cmd in _byRows.Values) cmd.Dispose();
        }
    }
}
