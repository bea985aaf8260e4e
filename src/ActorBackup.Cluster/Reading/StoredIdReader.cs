using System.Text;
using ActorBackup.Cluster.Encryption;
using ActorBackup.Cluster.Journal;
using ActorBackup.Cluster.Reconcile;
using ActorBackup.Cluster.Replica;
using ActorBackup.Cluster.Sharding;
using Microsoft.Data.Sqlite;

namespace ActorBackup.Cluster.Reading;

/// <summary>
/// Reads what a replica stored from the node's record index (<see cref="ReplicaIndex"/>) through a
/// connection of its own, so the replica actor is not held up while a sibling compares buckets. The
/// index is a projection of the journal that commits after the journal, so it may briefly lag it but
/// never claims a record the journal does not hold. A replica not yet in the index reads as empty.
/// </summary>
/// <remarks>
/// Each call opens and closes its connection: calls come from several threads, seconds apart.
/// Ids may be sealed in the file (<see cref="IndexIds"/>), so ranges of ids are found by their <see cref="IdKey"/>s
/// alone, and the few rows whose key is that of a bound are compared with the bound here, by their ids.
/// </remarks>
/// <param name="keys">The node's encryption keys (null when it writes in clear), to read sealed ids.</param>
public sealed class StoredIdReader(string indexFile, KeyRing? keys)
{
    private const string StoredRows = "FROM stored_row_ids AS i CROSS JOIN stored_rows AS s ON s.n = i.n WHERE i.replica = $r";

    /// <summary>Count and digest of the stored records of every bucket, from one pass over the replica's rows.</summary>
    public IReadOnlyList<BucketDigest> BucketDigests(ReplicaId replica, IdBuckets buckets)
    {
        var result = Enumerable.Repeat(BucketDigest.Empty, IdBuckets.Count).ToArray();
        using var index = Open(replica);
        if (index is null) return result;
        using var cmd = index.Command($"SELECT s.id, s.digest {ReplicaRows.OfReplica}");
        using var reader = cmd.ExecuteReader();
        while (reader.Read())
        {
            var i = buckets.IndexOf(index.Ids.Read(reader, 0));
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
        using var index = Open(replica);
        if (index is null) return new IdPage([], null);
        var range = new IdRange(after is null ? bucket.Lower : Later(bucket.Lower, after), bucket.Upper, LowerInclusive: after is null);
        var ids = new List<string>();
        var bytes = 0;
        // The next page reads from the last id's key again and keeps only the ids after it.
        foreach (var id in InIdOrder(index, range))
        {
            bytes += Encoding.UTF8.GetByteCount(id);
            if (ids.Count > 0 && (bytes > maxBytes || ids.Count == maxIds)) return new IdPage(ids, ids[^1]);
            ids.Add(id);
        }
        return new IdPage(ids, null);
    }

    /// <summary>
    /// The <see cref="IdTally"/> of the ids of the range [<paramref name="lower"/>, <paramref name="upper"/>) (null: the open
    /// end) the replica stored. Quarantined ids are not in it: what quarantine holds under an id may have come from a
    /// sibling or an import, so only a fetch of the source's document says whether the source holds that one. One pass over
    /// the range's rows, without holding its ids.
    /// </summary>
    public IdTally TallyIn(ReplicaId replica, string? lower, string? upper)
    {
        var tally = new IdTally(0, 0);
        using var index = Open(replica);
        if (index is null) return tally;
        var range = new IdRange(lower, upper, LowerInclusive: true);
        foreach (var (_, id) in RowsIn(index, range))
            tally = tally.Add(id);
        return tally;
    }

    /// <summary>Every id of the range the replica stored, in no particular order (quarantined ids are not, see <see cref="TallyIn"/>).</summary>
    public IReadOnlySet<string> StoredIdsIn(ReplicaId replica, string? lower, string? upper)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        using var index = Open(replica);
        if (index is null) return ids;
        var range = new IdRange(lower, upper, LowerInclusive: true);
        ids.UnionWith(RowsIn(index, range).Select(row => row.Id));
        return ids;
    }

    /// <summary>
    /// Which of the keys quarantine holds: the id with the very document (its SHA-256), so that another document kept under
    /// the same id (a sibling's, an import's) does not count for this one.
    /// </summary>
    public IReadOnlySet<QuarantineKey> QuarantinedAmong(ReplicaId replica, IEnumerable<QuarantineKey> keys)
    {
        var found = new HashSet<QuarantineKey>();
        using var index = Open(replica);
        if (index is null) return found;
        using var cmd = index.Command("SELECT 1 FROM quarantine WHERE replica = $r AND id = $id AND digest = $d LIMIT 1");
        var id = cmd.Parameters.Add("$id", index.Ids.Type);
        var digest = cmd.Parameters.Add("$d", SqliteType.Text);
        foreach (var key in keys.Distinct())
        {
            id.Value = index.Ids.Write(key.Id);
            digest.Value = key.DigestHex;
            if (cmd.ExecuteScalar() is not null) found.Add(key);
        }
        return found;
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
        using var index = Open(replica);
        if (index is null) return found;
        using var locate = new Locator(index);
        foreach (var candidate in ids.Distinct(StringComparer.Ordinal))
            if (locate.SequenceNrOf(candidate) is { } seq) found.Add((candidate, seq));
        return found;
    }

    /// <summary>The stored ids of the range in id order: rows come in key order and are put in id order within a key.</summary>
    private static IEnumerable<string> InIdOrder(OpenIndex index, IdRange range) =>
        IdOrder.WithinRuns(RowsIn(index, range), row => row.Key, row => row.Id).Select(row => row.Id);

    /// <summary>The stored rows of the range in key order: those of its keys, less the few sharing a bound's key that lie outside it.</summary>
    private static IEnumerable<(long Key, string Id)> RowsIn(OpenIndex index, IdRange range) =>
        Rows(index, range).Where(row => range.Holds(row.Id));

    private static IEnumerable<(long Key, string Id)> Rows(OpenIndex index, IdRange range)
    {
        using var cmd = index.Command("");
        cmd.CommandText = "SELECT i.key, s.id " + StoredRows + KeyBounds(cmd, "i.key", range, strictly: false) + " ORDER BY i.key";
        using var reader = cmd.ExecuteReader();
        while (reader.Read()) yield return (reader.GetInt64(0), index.Ids.Read(reader, 1));
    }

    /// <summary>
    /// Conditions on <paramref name="column"/> for the keys of the range's bounds, with their parameters added to
    /// <paramref name="cmd"/>: the keys strictly between them, or those and the bounds' own keys too. A missing bound adds
    /// no condition (one written "$x IS NULL OR ..." would keep SQLite from using the key tree).
    /// </summary>
    private static string KeyBounds(SqliteCommand cmd, string column, IdRange range, bool strictly)
    {
        var sql = new StringBuilder();
        if (range.Lower is not null)
        {
            sql.Append($" AND {column} {(strictly ? ">" : ">=")} $klo");
            cmd.Parameters.AddWithValue("$klo", IdKey.Of(range.Lower));
        }
        if (range.Upper is not null)
        {
            sql.Append($" AND {column} {(strictly ? "<" : "<=")} $khi");
            cmd.Parameters.AddWithValue("$khi", IdKey.Of(range.Upper));
        }
        return sql.ToString();
    }

    /// <summary>The later of a bucket's lower bound and a page's last id, as the lower bound of the next page.</summary>
    private static string Later(string? lower, string after) => lower is not null && KeyOrder.Compare(lower, after) > 0 ? lower : after;

    private OpenIndex? Open(ReplicaId replica)
    {
        if (!File.Exists(indexFile)) return null;
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = indexFile, Mode = SqliteOpenMode.ReadOnly, Pooling = false, DefaultTimeout = 60,
        }.ToString());
        try
        {
            connection.Open();
            DurableSqlite.MakeDurable(connection);
            using var cmd = connection.CreateCommand();
            cmd.CommandText = "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN ('replicas', 'stored_rows')";
            if ((long)cmd.ExecuteScalar()! == 2)
            {
                var ids = IndexIds.RecordedIn(connection, keys, indexFile);
                cmd.CommandText = "SELECT key FROM replicas WHERE persistence_id = $p";
                cmd.Parameters.AddWithValue("$p", replica.PersistenceId);
                if (cmd.ExecuteScalar() is long key)
                    return new OpenIndex(connection, key, ids);
            }
        }
        catch
        {
            connection.Dispose();
            throw;
        }
        connection.Dispose();
        return null;
    }

    /// <summary>An id range, right open; a null bound is an open end.</summary>
    /// <param name="LowerInclusive">Whether the lower bound itself is in the range (false after a page's last id).</param>
    private readonly record struct IdRange(string? Lower, string? Upper, bool LowerInclusive)
    {
        public bool Holds(string id) =>
            (Lower is null || KeyOrder.Compare(id, Lower) is var c && (LowerInclusive ? c >= 0 : c > 0))
            && (Upper is null || KeyOrder.Compare(id, Upper) < 0);
    }

    /// <summary>A connection to the index with the replica's key and the file's way of writing ids.</summary>
    private sealed class OpenIndex(SqliteConnection connection, long replica, IndexIds ids) : IDisposable
    {
        public IndexIds Ids => ids;

        public SqliteCommand Command(string sql)
        {
            var cmd = connection.CreateCommand();
            cmd.CommandText = sql;
            cmd.Parameters.AddWithValue("$r", replica);
            return cmd;
        }

        public void Dispose() => connection.Dispose();
    }

    /// <summary>Finds stored ids one by one with one prepared statement.</summary>
    private sealed class Locator : IDisposable
    {
        private readonly OpenIndex _index;
        private readonly SqliteCommand _cmd;
        private readonly SqliteParameter _key;
        private readonly SqliteParameter _id;

        public Locator(OpenIndex index)
        {
            _index = index;
            _cmd = index.Command("SELECT s.seq " + StoredRows + " AND i.key = $k AND s.id = $id");
            _key = _cmd.Parameters.Add("$k", SqliteType.Integer);
            _id = _cmd.Parameters.Add("$id", index.Ids.Type);
        }

        public long? SequenceNrOf(string id)
        {
            (_key.Value, _id.Value) = (IdKey.Of(id), _index.Ids.Write(id));
            return _cmd.ExecuteScalar() as long?;
        }

        public void Dispose() => _cmd.Dispose();
    }
}
