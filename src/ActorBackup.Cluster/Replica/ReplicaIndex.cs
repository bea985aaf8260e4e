using System.Text.Json;
using ActorBackup.Admin.Contract;
using ActorBackup.Cluster.Encryption;
using ActorBackup.Cluster.Journal;
using ActorBackup.Cluster.Records;
using ActorBackup.Cluster.Replica.Events;
using ActorBackup.Cluster.Settings;
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
/// Rows are appended in the order they were stored (table <c>stored_rows</c>, keyed by a running number of the whole
/// file, so that every replica's flush appends at the end of the tree and leaves its pages full); ids are found through
/// <c>stored_row_ids</c>, a tree of 8-byte <see cref="IdKey"/>s pointing at rows, which also lists a replica's rows for the
/// passes over all of them (<see cref="ReplicaRows"/>): there is no index by replica or timestamp.
/// Ids are random, so a flush inserts into pages all over that tree and rewrites most of them. At about 20 bytes per id
/// that tree is a quarter the size of one holding whole rows keyed by id: far more of it stays in the page cache, and a
/// flush reads and writes that many fewer pages.
/// Confirmed events are buffered and written in one transaction per <see cref="Flush"/>. The buffer holds only ids,
/// timestamps and digests, at most <see cref="RecordIndexSettings.FlushRecords"/> of them; lookups see it, other connections see the file
/// and so may lag by what is buffered. A crash loses the buffer with nothing else: the progress mark was not moved
/// either, and recovery replays those events from the journal.
/// The duplicate check asks the file only about ids an <see cref="IdFilter"/> (about a byte per stored id up to
/// <see cref="RecordIndexSettings.IdFilterBytes"/>, filled from the file when the index opens) cannot rule out: random ids cost a B-tree descent through uncached pages each.
/// When the node encrypts its data at rest, ids are written sealed (<see cref="IndexIds"/>).
/// </remarks>
public sealed class ReplicaIndex : IDisposable
{
    // Rows per multi-row insert: a batch of records is inserted with a few statements instead of one per record. Not more: Microsoft.Data.Sqlite binds each parameter by name, and SQLite
    // finds a name by a linear search, so binding a statement costs the square of its parameter count.
    private const int RowsPerStatement = 16;

    private readonly SqliteConnection _connection;
    private readonly RowStatements _rows;
    private readonly RowStatements _keys;
    private SqliteCommand? _lookup;
    private readonly List<PendingRecord> _pendingRecords = [];
    private readonly List<PendingQuarantine> _pendingQuarantine = [];
    private readonly HashSet<string> _pendingIds = new(StringComparer.Ordinal);
    private readonly IdFilter _stored;
    private readonly int _flushRecords;
    private readonly HashSet<QuarantineKey> _pendingKeys = [];
    private long _pendingUpTo;
    private long _replica;
    private IndexIds _ids = IndexIds.AsText;

    /// <param name="Recheck">The id filter could not rule out that the file holds the id already.</param>
    private readonly record struct PendingRecord(string Id, long Timestamp, long Seq, byte[] Digest, bool Recheck);

    private readonly record struct PendingQuarantine(QuarantineKey Key, long Timestamp, long Seq, string Reason);

    private ReplicaIndex(SqliteConnection connection, RecordIndexSettings settings)
    {
        _connection = connection;
        _stored = new IdFilter(settings.IdFilterBytes);
        _flushRecords = settings.FlushRecords;
        _rows = new RowStatements(this, rows => "INSERT INTO stored_rows (replica, n, id, timestamp, seq, digest) VALUES "
            + string.Join(", ", Enumerable.Range(0, rows).Select(i => $"($r, $n{i}, $id{i}, $t{i}, $s{i}, $d{i})")),
            (parameters, rows) =>
            {
                for (var i = 0; i < rows; i++)
                {
                    parameters.Add($"$n{i}", SqliteType.Integer);
                    parameters.Add($"$id{i}", _ids.Type);
                    parameters.Add($"$t{i}", SqliteType.Integer);
                    parameters.Add($"$s{i}", SqliteType.Integer);
                    parameters.Add($"$d{i}", SqliteType.Blob);
                }
            });
        _keys = new RowStatements(this, rows => "INSERT INTO stored_row_ids (replica, key, n) VALUES "
            + string.Join(", ", Enumerable.Range(0, rows).Select(i => $"($r, $k{i}, $n{i})")),
            (parameters, rows) =>
            {
                for (var i = 0; i < rows; i++)
                {
                    parameters.Add($"$k{i}", SqliteType.Integer);
                    parameters.Add($"$n{i}", SqliteType.Integer);
                }
            });
    }

    /// <summary>Opens (creating if needed) the index file and the replica's part of it.</summary>
    /// <param name="keys">The node's encryption keys (null when it writes in clear): with keys, ids are sealed.</param>
    /// <exception cref="BackupSettingsException">The file's ids are sealed with a key the node does not hold (one line).</exception>
    public static ReplicaIndex Open(string path, ReplicaId replica, RecordIndexSettings settings, KeyRing? keys)
    {
        var connection = Connect(path);
        var index = new ReplicaIndex(connection, settings);
        try
        {
            index._ids = IndexSchema.Create(connection, keys, path).Ids;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
        index._replica = index.KeyOf(replica);
        index.LoadFilter();
        return index;
    }

    /// <summary>
    /// Creates the index file's tables, or moves a file of an earlier layout into the current one, before any replica
    /// opens it: a node calls this once at start, so that a long move does not hold up replicas opening the file at
    /// the same moment (each would wait for it, and give up after the file's busy timeout).
    /// </summary>
    /// <param name="keys">The node's encryption keys (null when it writes in clear).</param>
    /// <exception cref="BackupSettingsException">The file's ids are sealed with a key the node does not hold (one line).</exception>
    public static PreparedIndex Prepare(string path, KeyRing? keys)
    {
        using var connection = Connect(path);
        var prepared = IndexSchema.Create(connection, keys, path);
        if (prepared.EmptiedForSealedIds || prepared.MovedRecords > 0 || prepared.DroppedTimeIndex)
        {
            // Nothing else has the file open yet: rewrite it without the pages of emptied or moved tables or of the dropped
            // index, and drop the write-ahead log, whose older frames may still hold ids in clear.
            using var cmd = connection.CreateCommand();
            cmd.CommandText = "VACUUM; PRAGMA wal_checkpoint(TRUNCATE);";
            cmd.ExecuteNonQuery();
        }
        return prepared;
    }

    private static SqliteConnection Connect(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false, DefaultTimeout = 60 }.ToString());
        connection.Open();
        // A checkpoint every 8192 pages (32 MiB of WAL) instead of 1000: a page that several flushes
        // rewrote is copied into the file once. The node truncates the log every
        // actorbackup.storage.wal-checkpoint-interval (WalCheckpoints).
        DurableSqlite.MakeDurable(connection);
        using var cmd = connection.CreateCommand();
        cmd.CommandText = """
            PRAGMA journal_mode = WAL;
            PRAGMA wal_autocheckpoint = 8192;
            PRAGMA cache_size = -12288;
            PRAGMA busy_timeout = 60000;
            """;
        cmd.ExecuteNonQuery();
        return connection;
    }

    /// <summary>The journal sequence number up to which every event of the replica is in the index, buffer included (0 for none).</summary>
    public long IndexedUpTo => HasPending ? _pendingUpTo : WrittenUpTo();

    /// <summary>Whether confirmed events wait in the buffer for <see cref="Flush"/>.</summary>
    public bool HasPending => _pendingUpTo > 0;

    /// <summary>Which of the ids are stored.</summary>
    public IReadOnlySet<string> FindStored(IEnumerable<string> ids)
    {
        var found = new HashSet<string>(StringComparer.Ordinal);
        var maybe = new HashSet<string>(StringComparer.Ordinal);
        foreach (var id in ids.Where(_stored.MightContain))
        {
            if (_pendingIds.Contains(id)) found.Add(id);
            else maybe.Add(id);
        }
        found.UnionWith(FindWritten(maybe, tx: null));
        return found;
    }

    /// <summary>Which of the ids the file holds: one statement for all of them, whatever their number.</summary>
    private HashSet<string> FindWritten(IReadOnlySet<string> ids, SqliteTransaction? tx)
    {
        var found = new HashSet<string>(StringComparer.Ordinal);
        if (ids.Count == 0) return found;
        if (_lookup is null)
        {
            // Keys go in as one JSON array, in order, so consecutive lookups descend through the same interior pages.
            _lookup = Command("""
                SELECT s.id FROM json_each($keys) AS j
                CROSS JOIN stored_row_ids AS i ON i.replica = $r AND i.key = j.value
                CROSS JOIN stored_rows AS s ON s.n = i.n
                """);
            _lookup.Parameters.Add("$keys", SqliteType.Text);
        }
        _lookup.Transaction = tx;
        _lookup.Parameters[1].Value = JsonSerializer.Serialize(ids.Select(IdKey.Of).Distinct().Order().ToArray());
        using var reader = _lookup.ExecuteReader();
        while (reader.Read())
        {
            // A key is shared by every id with the same first eight characters.
            var id = _ids.Read(reader, 0);
            if (ids.Contains(id)) found.Add(id);
        }
        return found;
    }

    /// <summary>Which of the quarantine keys are kept.</summary>
    public IReadOnlySet<QuarantineKey> FindQuarantined(IEnumerable<QuarantineKey> keys)
    {
        var found = new HashSet<QuarantineKey>();
        using var cmd = Command("SELECT 1 FROM quarantine WHERE replica = $r AND id = $id AND digest = $d");
        var id = cmd.Parameters.Add("$id", _ids.Type);
        var digest = cmd.Parameters.Add("$d", SqliteType.Text);
        foreach (var key in keys)
        {
            id.Value = _ids.Write(key.Id);
            digest.Value = key.DigestHex;
            if (_pendingKeys.Contains(key) || cmd.ExecuteScalar() is not null) found.Add(key);
        }
        return found;
    }

    /// <summary>
    /// Adds what a journal event stored to the buffer, and writes the buffer once it holds
    /// <see cref="RecordIndexSettings.FlushRecords"/> records. Applying an event twice changes nothing.
    /// </summary>
    public void Apply(long sequenceNr, IReplicaEvent @event)
    {
        if (@event is EventsMerged merged)
        {
            // Only replayed when the index is rebuilt or behind: every record of the run is where the merged event is.
            Apply(sequenceNr, merged.Stored);
            Apply(sequenceNr, merged.Quarantined);
            return;
        }
        switch (@event)
        {
            case RecordsStored stored:
                foreach (var r in stored.Records)
                {
                    if (!_pendingIds.Add(r.Id)) continue;
                    _pendingRecords.Add(new PendingRecord(r.Id, r.Timestamp, sequenceNr, RecordDigest.Of(r), Recheck: _stored.MightContain(r.Id)));
                    _stored.Add(r.Id);
                }
                break;
            case RecordsQuarantined quarantined:
                foreach (var q in quarantined.Records)
                {
                    var key = QuarantineKey.Of(q);
                    if (_pendingKeys.Add(key)) _pendingQuarantine.Add(new PendingQuarantine(key, q.Timestamp, sequenceNr, q.ReasonCode));
                }
                break;
        }
        _pendingUpTo = Math.Max(_pendingUpTo, sequenceNr);
        if (_pendingRecords.Count + _pendingQuarantine.Count >= _flushRecords) Flush();
    }

    /// <summary>Writes the buffer in one transaction with the progress mark.</summary>
    public void Flush()
    {
        if (!HasPending) return;
        using var tx = _connection.BeginTransaction();
        var recheck = _pendingRecords.Where(r => r.Recheck).Select(r => r.Id).ToHashSet(StringComparer.Ordinal);
        var written = FindWritten(recheck, tx);
        var rows = new List<(long Key, long Row)>(_pendingRecords.Count);
        // The transaction holds the file's write lock: no other replica numbers rows until it commits.
        var row = LastRow(tx);
        foreach (var chunk in _pendingRecords.Where(r => !written.Contains(r.Id)).Chunk(RowsPerStatement))
        {
            var cmd = _rows.For(chunk.Length, tx);
            for (var i = 0; i < chunk.Length; i++)
            {
                rows.Add((IdKey.Of(chunk[i].Id), ++row));
                (cmd.Parameters[1 + 5 * i].Value, cmd.Parameters[2 + 5 * i].Value, cmd.Parameters[3 + 5 * i].Value, cmd.Parameters[4 + 5 * i].Value, cmd.Parameters[5 + 5 * i].Value)
                    = (row, _ids.Write(chunk[i].Id), chunk[i].Timestamp, chunk[i].Seq, chunk[i].Digest);
            }
            cmd.ExecuteNonQuery();
        }
        // In key order, consecutive inserts that share a B-tree page find it in the page cache.
        rows.Sort();
        foreach (var chunk in rows.Chunk(RowsPerStatement))
        {
            var cmd = _keys.For(chunk.Length, tx);
            for (var i = 0; i < chunk.Length; i++)
                (cmd.Parameters[1 + 2 * i].Value, cmd.Parameters[2 + 2 * i].Value) = (chunk[i].Key, chunk[i].Row);
            cmd.ExecuteNonQuery();
        }
        if (_pendingQuarantine.Count > 0)
        {
            using var cmd = Command("INSERT OR IGNORE INTO quarantine (replica, id, digest, timestamp, seq, reason, key) VALUES ($r, $id, $d, $t, $s, $why, $k)", tx);
            var (id, d, t, s, why) = (cmd.Parameters.Add("$id", _ids.Type), cmd.Parameters.Add("$d", SqliteType.Text),
                cmd.Parameters.Add("$t", SqliteType.Integer), cmd.Parameters.Add("$s", SqliteType.Integer), cmd.Parameters.Add("$why", SqliteType.Text));
            var key = cmd.Parameters.Add("$k", SqliteType.Integer);
            foreach (var q in _pendingQuarantine)
            {
                (id.Value, d.Value, t.Value, s.Value, why.Value, key.Value) = (_ids.Write(q.Key.Id), q.Key.DigestHex, q.Timestamp, q.Seq, q.Reason, IdKey.Of(q.Key.Id));
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
        foreach (var table in new[] { "stored_rows", "stored_row_ids", "quarantine", "progress" })
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

    // Records of one second are put in id order here rather than by the statement: sealed ids do not sort as ids do.
    private IEnumerable<IndexedRecord> ReadStoredAt(Watermark at) => IdOrder.WithinRuns(ReadRowsAt(at), r => r.Timestamp, r => r.Id);

    private IEnumerable<IndexedRecord> ReadRowsAt(Watermark at)
    {
        using var cmd = Command($"SELECT s.id, s.timestamp, s.seq, s.digest {ReplicaRows.OfReplica} AND s.timestamp <= $t ORDER BY s.timestamp");
        cmd.Parameters.AddWithValue("$t", at.Seconds);
        using var reader = cmd.ExecuteReader();
        while (reader.Read())
            yield return new IndexedRecord(_ids.Read(reader, 0), reader.GetInt64(1), reader.GetInt64(2), (byte[])reader[3]);
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
            _rows.Dispose();
            _keys.Dispose();
            _lookup?.Dispose();
            _connection.Dispose();
        }
    }

    private void LoadFilter()
    {
        using var cmd = Command($"SELECT s.id {ReplicaRows.OfReplica}");
        using var reader = cmd.ExecuteReader();
        while (reader.Read()) _stored.Add(_ids.Read(reader, 0));
    }

    private long LastRow(SqliteTransaction tx)
    {
        using var cmd = Command("SELECT max(n) FROM stored_rows", tx);
        return cmd.ExecuteScalar() is long n ? n : 0;
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
    // and the id would be repeated in every row and in the id tree.
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
