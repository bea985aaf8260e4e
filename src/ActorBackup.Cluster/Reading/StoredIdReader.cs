using System.Text;
using ActorBackup.Cluster.Journal;
using ActorBackup.Cluster.Replica;
using Microsoft.Data.Sqlite;

namespace ActorBackup.Cluster.Reading;

/// <summary>
/// Reads what a replica stored from the node's record index (<see cref="ReplicaIndex"/>) through a
/// connection of its own, so the replica actor is not held up while a sibling compares buckets. The
/// index is a projection of the journal that commits after the journal, so it may briefly lag it but
/// never claims a record the journal does not hold. A replica not yet in the index reads as empty.
/// </summary>
/// <remarks>Each call opens and closes its connection: calls come from several threads, seconds apart.</remarks>
public sealed class StoredIdReader(string indexFile)
{
    /// <summary>Count and digest of the stored records of every bucket, from one pass over the replica's rows.</summary>
    public IReadOnlyList<BucketDigest> BucketDigests(ReplicaId replica, IdBuckets buckets)
    {
        var result = Enumerable.Repeat(BucketDigest.Empty, IdBuckets.Count).ToArray();
        using var connection = Open(replica, out var key);
        if (connection is null) return result;
        using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT id, digest FROM stored WHERE replica = $r";
        cmd.Parameters.AddWithValue("$r", key);
        using var reader = cmd.ExecuteReader();
        while (reader.Read())
        {
            var i = buckets.IndexOf(reader.GetString(0));
            result[i] = result[i].Add((byte[])reader[1]);
        }
        return result;
    }

    /// <summary>
    /// Up to <paramref name="maxIds"/> ids of the bucket after <paramref name="after"/> (exclusive; null
    /// for the first page), cut earlier once their UTF-8 length passes <paramref name="maxBytes"/>.
    /// </summary>
    public IdPage IdsIn(ReplicaId replica, IdBucket bucket, string? after, int maxIds, int maxBytes)
    {
        using var connection = Open(replica, out var key);
        if (connection is null) return new IdPage([], null);
        using var cmd = connection.CreateCommand();
        var sql = new StringBuilder("SELECT s.id FROM stored_ids AS i CROSS JOIN stored AS s ON s.replica = i.replica AND s.n = i.n WHERE i.replica = $r");
        cmd.Parameters.AddWithValue("$r", key);
        RangeConditions(cmd, sql, bucket.Lower, bucket.Upper);
        if (after is not null) Bound(cmd, sql, " AND i.key >= $kafter AND s.id > $after", "$kafter", "$after", after);
        sql.Append(" ORDER BY s.id LIMIT $n");
        cmd.Parameters.AddWithValue("$n", maxIds);
        cmd.CommandText = sql.ToString();
        var ids = new List<string>();
        var bytes = 0;
        using var reader = cmd.ExecuteReader();
        while (reader.Read())
        {
            var id = reader.GetString(0);
            bytes += Encoding.UTF8.GetByteCount(id);
            if (ids.Count > 0 && bytes > maxBytes) return new IdPage(ids, ids[^1]);
            ids.Add(id);
        }
        return new IdPage(ids, ids.Count == maxIds ? ids[^1] : null);
    }

    /// <summary>
    /// How many distinct ids of the range [<paramref name="lower"/>, <paramref name="upper"/>) (null: the open end) the replica
    /// holds, stored or quarantined: each is a document the source holds under that id.
    /// </summary>
    public long CountIn(ReplicaId replica, string? lower, string? upper)
    {
        using var connection = Open(replica, out var key);
        if (connection is null) return 0;
        using var cmd = connection.CreateCommand();
        var sql = new StringBuilder("SELECT count(*) FROM stored_ids AS i CROSS JOIN stored AS s ON s.replica = i.replica AND s.n = i.n WHERE i.replica = $r");
        cmd.Parameters.AddWithValue("$r", key);
        RangeConditions(cmd, sql, lower, upper);
        cmd.CommandText = sql.ToString();
        var stored = (long)cmd.ExecuteScalar()!;
        return stored + QuarantinedOnly(connection, key, lower, upper).Count;
    }

    /// <summary>Every id of the range the replica holds, stored or quarantined, in no particular order.</summary>
    public IReadOnlySet<string> AllIdsIn(ReplicaId replica, string? lower, string? upper)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        using var connection = Open(replica, out var key);
        if (connection is null) return ids;
        using (var cmd = connection.CreateCommand())
        {
            var sql = new StringBuilder("SELECT s.id FROM stored_ids AS i CROSS JOIN stored AS s ON s.replica = i.replica AND s.n = i.n WHERE i.replica = $r");
            cmd.Parameters.AddWithValue("$r", key);
            RangeConditions(cmd, sql, lower, upper);
            cmd.CommandText = sql.ToString();
            using var reader = cmd.ExecuteReader();
            while (reader.Read()) ids.Add(reader.GetString(0));
        }
        ids.UnionWith(QuarantinedOnly(connection, key, lower, upper));
        return ids;
    }

    /// <summary>Which of the ids are held in quarantine.</summary>
    public IReadOnlySet<string> QuarantinedAmong(ReplicaId replica, IEnumerable<string> ids)
    {
        var found = new HashSet<string>(StringComparer.Ordinal);
        using var connection = Open(replica, out var key);
        if (connection is null) return found;
        using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT 1 FROM quarantine WHERE replica = $r AND id = $id LIMIT 1";
        cmd.Parameters.AddWithValue("$r", key);
        var id = cmd.Parameters.Add("$id", SqliteType.Text);
        foreach (var candidate in ids.Distinct(StringComparer.Ordinal))
        {
            id.Value = candidate;
            if (cmd.ExecuteScalar() is not null) found.Add(candidate);
        }
        return found;
    }

    /// <summary>Ids of the range held in quarantine and not stored (a stored id may also have a quarantined version).</summary>
    private static HashSet<string> QuarantinedOnly(SqliteConnection connection, long key, string? lower, string? upper)
    {
        using var cmd = connection.CreateCommand();
        var sql = new StringBuilder("""
            SELECT DISTINCT q.id FROM quarantine AS q WHERE q.replica = $r
            AND NOT EXISTS (SELECT 1 FROM stored_ids AS i CROSS JOIN stored AS s ON s.replica = i.replica AND s.n = i.n
                            WHERE i.replica = q.replica AND i.key = id_key(q.id) AND s.id = q.id)
            """);
        cmd.Parameters.AddWithValue("$r", key);
        if (lower is not null)
        {
            sql.Append(" AND q.id >= $lo");
            cmd.Parameters.AddWithValue("$lo", lower);
        }
        if (upper is not null)
        {
            sql.Append(" AND q.id < $hi");
            cmd.Parameters.AddWithValue("$hi", upper);
        }
        cmd.CommandText = sql.ToString();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        using var reader = cmd.ExecuteReader();
        while (reader.Read()) ids.Add(reader.GetString(0));
        return ids;
    }

    /// <summary>
    /// The id range as conditions on the key tree and the id. Conditions are left out rather than written "$x IS NULL OR ...",
    /// which would keep SQLite from using the key tree for the range. Keys follow id order, so each id bound is also a key
    /// bound, which narrows the rows read to the range's; the id conditions then drop ids sharing a bound's key.
    /// </summary>
    private static void RangeConditions(SqliteCommand cmd, StringBuilder sql, string? lower, string? upper)
    {
        if (lower is not null) Bound(cmd, sql, " AND i.key >= $klo AND s.id >= $lo", "$klo", "$lo", lower);
        if (upper is not null) Bound(cmd, sql, " AND i.key <= $khi AND s.id < $hi", "$khi", "$hi", upper);
    }

    private static void Bound(SqliteCommand cmd, StringBuilder sql, string condition, string keyName, string idName, string id)
    {
        sql.Append(condition);
        cmd.Parameters.AddWithValue(keyName, IdKey.Of(id));
        cmd.Parameters.AddWithValue(idName, id);
    }

    /// <summary>Which of the ids are stored.</summary>
    public IReadOnlySet<string> Stored(ReplicaId replica, IEnumerable<string> ids)
    {
        var found = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (id, _) in Locate(replica, ids)) found.Add(id);
        return found;
    }

    /// <summary>The journal sequence number of the event holding each stored id; ids not stored are left out.</summary>
    public IReadOnlyList<(string Id, long SequenceNr)> Locate(ReplicaId replica, IEnumerable<string> ids)
    {
        var found = new List<(string, long)>();
        using var connection = Open(replica, out var key);
        if (connection is null) return found;
        using var cmd = connection.CreateCommand();
        cmd.CommandText = """
            SELECT s.seq FROM stored_ids AS i CROSS JOIN stored AS s ON s.replica = i.replica AND s.n = i.n
            WHERE i.replica = $r AND i.key = $k AND s.id = $id
            """;
        cmd.Parameters.AddWithValue("$r", key);
        var idKey = cmd.Parameters.Add("$k", SqliteType.Integer);
        var id = cmd.Parameters.Add("$id", SqliteType.Text);
        foreach (var candidate in ids.Distinct(StringComparer.Ordinal))
        {
            (idKey.Value, id.Value) = (IdKey.Of(candidate), candidate);
            if (cmd.ExecuteScalar() is long seq) found.Add((candidate, seq));
        }
        return found;
    }

    private SqliteConnection? Open(ReplicaId replica, out long key)
    {
        key = 0;
        if (!File.Exists(indexFile)) return null;
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = indexFile, Mode = SqliteOpenMode.ReadOnly, Pooling = false, DefaultTimeout = 60,
        }.ToString());
        connection.Open();
        DurableSqlite.MakeDurable(connection);
        connection.CreateFunction("id_key", (string id) => IdKey.Of(id), isDeterministic: true);
        using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN ('replicas', 'stored')";
        if ((long)cmd.ExecuteScalar()! == 2)
        {
            cmd.CommandText = "SELECT key FROM replicas WHERE persistence_id = $p";
            cmd.Parameters.AddWithValue("$p", replica.PersistenceId);
            if (cmd.ExecuteScalar() is long k)
            {
                key = k;
                return connection;
            }
        }
        connection.Dispose();
        return null;
    }
}
