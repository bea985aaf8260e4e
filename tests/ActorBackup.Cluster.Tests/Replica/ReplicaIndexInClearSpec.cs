using ActorBackup.Admin.Contract;
using ActorBackup.Cluster.Encryption;
using ActorBackup.Cluster.Reading;
using ActorBackup.Cluster.Reconcile;
using ActorBackup.Cluster.Records;
using ActorBackup.Cluster.Replica;
using ActorBackup.Cluster.Replica.Events;
using ActorBackup.Cluster.Sharding;
using ActorBackup.Cluster.Tests.Settings;
using Microsoft.Data.Sqlite;

namespace ActorBackup.Cluster.Tests.Replica;

/// <summary>The record index of a node that writes in clear (ids packed), and files written by earlier versions (ids as text).</summary>
public sealed class ReplicaIndexInClearSpec : ReplicaIndexSpec
{
    protected override KeyRing? Keys => null;

    [Fact]
    public void A_new_file_writes_hex_ids_as_the_bytes_they_spell_and_reads_them_back()
    {
        var blockIds = Enumerable.Range(0, 50).Select(Samples.BlockId).ToList();
        using (var index = Open())
        {
            index.Apply(1, new RecordsStored(blockIds.Select(id => Samples.Vote(id, 1_700_000_000)).ToList()));
            index.Flush();
        }
        SqliteConnection.ClearAllPools();
        var bytes = Directory.EnumerateFiles(_directory, "index.sqlite*").SelectMany(System.IO.File.ReadAllBytes).ToArray();

        Assert.Equal("packed", IndexIds.For(null).Mode);
        Assert.All(blockIds, id => Assert.True(bytes.AsSpan().IndexOf(Convert.FromHexString(id)) >= 0, id));
        Assert.DoesNotContain(blockIds, id => bytes.AsSpan().IndexOf(System.Text.Encoding.ASCII.GetBytes(id)) >= 0);
        using var reopened = Open();
        Assert.Equal(blockIds.ToHashSet(), reopened.FindStored(blockIds.Append(Samples.BlockId(99))).ToHashSet());
        Assert.Equal(blockIds.Order(StringComparer.Ordinal), new StoredIdReader(File, null).StoredIdsIn(Replica, null, null).Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("6f1c2a52-0716-4f8e-a580-9e09763434c0", 17)]
    [InlineData("6F1C2A52-0716-4F8E-A580-9E09763434C0", 37)]
    [InlineData("6f1c2a520716-4f8e-a580-9e09763434c0a", 37)]
    [InlineData("abc", 4)]
    [InlineData("ab", 2)]
    [InlineData("vote-ü-1", 10)]
    public void Every_id_reads_back_as_written_and_only_forms_that_do_are_packed(string id, int bytes)
    {
        var written = Assert.IsType<byte[]>(IndexIds.Packed.Write(id));
        using (var index = Open())
        {
            index.Apply(1, new RecordsStored([Samples.Vote(id, 1_700_000_000)]));
            index.Flush();
        }

        Assert.Equal(bytes, written.Length);
        Assert.Equal([id], new StoredIdReader(File, null).StoredIdsIn(Replica, null, null));
        using var reopened = Open();
        Assert.Equal([id], reopened.FindStored([id, id.ToUpperInvariant() == id ? id.ToLowerInvariant() : id.ToUpperInvariant()]));
    }

    [Fact]
    public void An_index_file_of_the_earlier_layout_opens_with_every_record_digest_and_progress_mark()
    {
        var records = Enumerable.Range(0, 50).Select(n => Samples.VoteInShard(0, n, 1_700_000_000 + n)).ToList();
        WriteEarlierLayout(records, sequenceOf: n => 1 + n / 10, progress: 5);

        using var index = Open();

        Assert.Equal(5, index.IndexedUpTo);
        Assert.Equal(records.Select(r => r.Id).ToHashSet(), index.FindStored(records.Select(r => r.Id).Append("00ffffff-none")).ToHashSet());
        var stored = index.StoredAt(Watermark.At(1_700_000_024)).ToList();
        Assert.Equal(records.Take(25).Select(r => (r.Id, r.Timestamp, Hex: Convert.ToHexString(RecordDigest.Of(r)))),
            stored.Select(r => (r.Id, r.Timestamp, Hex: Convert.ToHexString(r.Digest))));
        Assert.Equal(Enumerable.Range(0, 25).Select(n => 1L + n / 10), stored.Select(r => r.SequenceNr));
        Assert.Equal([(records[42].Id, 5L)], new StoredIdReader(File, Keys).Locate(Replica, [records[42].Id]));

        index.Apply(6, Stored(50, 5));
        index.Flush();
        Assert.Equal(55, index.DigestAt(Watermark.At(2_000_000_000)).Count);
    }

    [Fact]
    public void Quarantined_ids_of_a_file_of_the_earlier_layout_are_kept_and_only_stored_ids_are_tallied()
    {
        var records = Enumerable.Range(0, 10).Select(n => Samples.VoteInShard(0, n, 1_700_000_000 + n)).ToList();
        WriteEarlierLayout(records, sequenceOf: _ => 1, progress: 2);
        using (var connection = OpenFile())
        {
            using var cmd = connection.CreateCommand();
            cmd.CommandText = "INSERT INTO quarantine (replica, id, digest, timestamp, seq, reason) VALUES (1, $id, 'ab', 1700000100, 2, 'bad-signature')";
            cmd.Parameters.AddWithValue("$id", IdOf(100));
            cmd.ExecuteNonQuery();
        }

        ReplicaIndex.Prepare(File, null);

        var reader = new StoredIdReader(File, null);
        Assert.Equal(IdTally.Of(records.Select(r => r.Id)), reader.TallyIn(Replica, null, null));
        Assert.Equal(0, reader.TallyIn(Replica, IdOf(100), IdOf(101)).Records);
        Assert.Equal(new HashSet<QuarantineKey> { new(IdOf(100), "ab") },
            reader.QuarantinedAmong(Replica, [new(IdOf(100), "ab"), new(IdOf(100), "cd"), new(IdOf(1), "ab")]).ToHashSet());
        Assert.DoesNotContain(IdOf(100), reader.StoredIdsIn(Replica, IdOf(50), null));
    }

    [Fact]
    public void Preparing_a_file_of_the_earlier_layout_moves_its_records_once_and_a_new_file_has_none_to_move()
    {
        var records = Enumerable.Range(0, 30).Select(n => Samples.VoteInShard(0, n, 1_700_000_000 + n)).ToList();
        WriteEarlierLayout(records, sequenceOf: n => 1 + n / 10, progress: 3);

        Assert.Equal(30, ReplicaIndex.Prepare(File, null).MovedRecords);
        Assert.Equal(0, ReplicaIndex.Prepare(File, null).MovedRecords);
        Assert.Equal(0, ReplicaIndex.Prepare(Path.Combine(_directory, "new", "index.sqlite"), null).MovedRecords);
        using var index = Open();
        Assert.Equal(30, index.DigestAt(Watermark.At(2_000_000_000)).Count);
    }

    [Fact]
    public void An_index_file_with_rows_numbered_per_replica_opens_with_the_same_answers_for_each_replica()
    {
        var other = new ReplicaId("bigchain", 0);
        var votes = Enumerable.Range(0, 40).Select(n => Samples.VoteInShard(0, n, 1_700_000_000 + n)).ToList();
        var blocks = Enumerable.Range(0, 30).Select(n => Samples.Vote(Samples.BlockId(n), 1_600_000_000 + n)).ToList();
        WriteLayoutNumberedPerReplica([(Replica, votes, 4), (other, blocks, 3)], sequenceOf: n => 1 + n / 10);

        Assert.Equal(70, ReplicaIndex.Prepare(File, null).MovedRecords);

        using (var index = Open())
        {
            AssertHoldsTheVotesInFourEvents(index, votes, blocks);
            index.Apply(5, Stored(40, 5));
            index.Flush();
            Assert.Equal(45, index.DigestAt(Watermark.At(2_000_000_000)).Count);
        }
        using (var index = ReplicaIndex.Open(File, other, ReferenceSettings.Defaults.RecordIndex, Keys))
        {
            Assert.Equal(3, index.IndexedUpTo);
            Assert.Equal(blocks.Select(r => r.Id).ToHashSet(), index.FindStored(votes.Concat(blocks).Select(r => r.Id)).ToHashSet());
            Assert.Equal(30, index.DigestAt(Watermark.At(2_000_000_000)).Count);
        }
        var reader = new StoredIdReader(File, null);
        Assert.Equal([(votes[22].Id, 3L), (IdOf(43), 5L)], reader.Locate(Replica, [votes[22].Id, IdOf(43), blocks[0].Id]));
        Assert.Equal(blocks.Select(r => r.Id).Order(StringComparer.Ordinal), reader.StoredIdsIn(other, null, null).Order(StringComparer.Ordinal));
        Assert.Equal(45, reader.TallyIn(Replica, null, null).Records);
    }

    [Fact]
    public void An_index_file_with_the_index_of_rows_by_time_drops_it_once_and_answers_as_before()
    {
        var other = new ReplicaId("bigchain", 0);
        var votes = Enumerable.Range(0, 40).Select(n => Samples.VoteInShard(0, n, 1_700_000_000 + n)).ToList();
        var blocks = Enumerable.Range(0, 30).Select(n => Samples.Vote(Samples.BlockId(n), 1_600_000_000 + n)).ToList();
        // Rows of the two replicas interleaved in the file, as flushes of replicas of one node are.
        for (var seq = 1; seq <= 4; seq++)
        {
            using (var index = Open())
            {
                index.Apply(seq, new RecordsStored(votes.Skip(10 * (seq - 1)).Take(10).ToList()));
            }
            if (seq > 3) continue;
            using var blocksIndex = ReplicaIndex.Open(File, other, ReferenceSettings.Defaults.RecordIndex, Keys);
            blocksIndex.Apply(seq, new RecordsStored(blocks.Skip(10 * (seq - 1)).Take(10).ToList()));
        }
        WithConnection("CREATE INDEX stored_rows_by_time ON stored_rows (replica, timestamp);");

        var prepared = ReplicaIndex.Prepare(File, null);

        Assert.True(prepared.DroppedTimeIndex);
        Assert.Equal(0, prepared.MovedRecords);
        Assert.False(ReplicaIndex.Prepare(File, null).DroppedTimeIndex);
        Assert.Equal(0L, WithConnection("SELECT count(*) FROM sqlite_master WHERE type = 'index' AND tbl_name = 'stored_rows'"));
        using (var index = Open())
        {
            AssertHoldsTheVotesInFourEvents(index, votes, blocks);
            Assert.Equal((40L, DigestOf(votes)), index.DigestAt(Watermark.At(2_000_000_000)));
        }
        var reader = new StoredIdReader(File, null);
        Assert.Equal(30, reader.BucketDigests(other, new IdBuckets(new ShardRange(0, null, null))).Sum(b => b.Count));
        Assert.Equal(40, reader.BucketDigests(Replica, new IdBuckets(new ShardRange(0, null, null))).Sum(b => b.Count));
    }

    [Fact]
    public void A_pass_over_a_replicas_rows_reads_only_its_own_through_its_id_tree()
    {
        using (var index = Open())
        {
            index.Apply(1, Stored(0, 10));
        }

        var plan = string.Join("\n", WithRows($"EXPLAIN QUERY PLAN SELECT s.id, s.digest {ReplicaRows.OfReplica} AND s.timestamp <= 5 ORDER BY s.timestamp"));

        Assert.Contains("SEARCH s USING INTEGER PRIMARY KEY (rowid=?)", plan);
        Assert.Contains("SEARCH stored_row_ids USING PRIMARY KEY (replica=?)", plan);
        Assert.DoesNotContain("SCAN s", plan);
    }

    /// <summary>
    /// The votes replica of the two-replica files these tests write: forty votes stored ten per event, one a second from
    /// 1,700,000,000, beside thirty blocks of the other replica.
    /// </summary>
    private static void AssertHoldsTheVotesInFourEvents(ReplicaIndex index, List<CapturedRecord> votes, List<CapturedRecord> blocks)
    {
        Assert.Equal(4, index.IndexedUpTo);
        Assert.Equal(votes.Select(r => r.Id).ToHashSet(), index.FindStored(votes.Concat(blocks).Select(r => r.Id)).ToHashSet());
        var stored = index.StoredAt(Watermark.At(1_700_000_024)).ToList();
        Assert.Equal(votes.Take(25).Select(r => (r.Id, r.Timestamp, 1L + (r.Timestamp - 1_700_000_000) / 10, Hex: Convert.ToHexString(RecordDigest.Of(r)))),
            stored.Select(r => (r.Id, r.Timestamp, r.SequenceNr, Hex: Convert.ToHexString(r.Digest))));
    }

    private static ShardDigest DigestOf(IEnumerable<CapturedRecord> records) =>
        records.Aggregate(ShardDigest.Empty, (digest, r) => digest.Add(RecordDigest.Of(r)));

    /// <summary>The index file opened on a connection of the test's own, as another version or a tool would.</summary>
    private SqliteConnection OpenFile()
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = File, Pooling = false }.ToString());
        connection.Open();
        return connection;
    }

    private object? WithConnection(string sql)
    {
        using var connection = OpenFile();
        using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        return cmd.ExecuteScalar();
    }

    private List<string> WithRows(string sql)
    {
        using var connection = OpenFile();
        using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        cmd.Parameters.AddWithValue("$r", 1);
        using var reader = cmd.ExecuteReader();
        var rows = new List<string>();
        while (reader.Read()) rows.Add(reader.GetString(3));
        return rows;
    }

    /// <summary>
    /// A file as the index wrote it before rows were numbered across the file: each replica's rows numbered on their own
    /// (<c>stored</c>), and their keys in <c>stored_ids</c>.
    /// </summary>
    private void WriteLayoutNumberedPerReplica(IReadOnlyList<(ReplicaId Replica, IReadOnlyList<CapturedRecord> Records, long Progress)> replicas, Func<int, long> sequenceOf)
    {
        using var connection = OpenFile();
        using (var cmd = connection.CreateCommand())
        {
            cmd.CommandText = """
                CREATE TABLE replicas (key INTEGER PRIMARY KEY, persistence_id TEXT NOT NULL UNIQUE);
                CREATE TABLE stored (
                  replica INTEGER NOT NULL, n INTEGER NOT NULL, id TEXT NOT NULL, timestamp INTEGER NOT NULL, seq INTEGER NOT NULL,
                  digest BLOB NOT NULL, PRIMARY KEY (replica, n)) WITHOUT ROWID;
                CREATE INDEX stored_by_time ON stored (replica, timestamp);
                CREATE TABLE stored_ids (
                  replica INTEGER NOT NULL, key INTEGER NOT NULL, n INTEGER NOT NULL, PRIMARY KEY (replica, key, n)) WITHOUT ROWID;
                CREATE TABLE quarantine (
                  replica INTEGER NOT NULL, id TEXT NOT NULL, digest TEXT NOT NULL, timestamp INTEGER NOT NULL, seq INTEGER NOT NULL,
                  reason TEXT NOT NULL, key INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (replica, id, digest)) WITHOUT ROWID;
                CREATE TABLE progress (replica INTEGER PRIMARY KEY, seq INTEGER NOT NULL);
                CREATE TABLE settings (name TEXT PRIMARY KEY, value TEXT NOT NULL);
                INSERT INTO settings (name, value) VALUES ('ids', 'packed');
                """;
            cmd.ExecuteNonQuery();
        }
        for (var key = 1; key <= replicas.Count; key++)
        {
            var (replica, records, progress) = replicas[key - 1];
            using var cmd = connection.CreateCommand();
            cmd.CommandText = "INSERT INTO replicas (key, persistence_id) VALUES ($r, $p); INSERT INTO progress (replica, seq) VALUES ($r, $progress);";
            cmd.Parameters.AddWithValue("$r", key);
            cmd.Parameters.AddWithValue("$p", replica.PersistenceId);
            cmd.Parameters.AddWithValue("$progress", progress);
            cmd.ExecuteNonQuery();
            for (var n = 0; n < records.Count; n++)
            {
                using var insert = connection.CreateCommand();
                insert.CommandText = """
                    INSERT INTO stored (replica, n, id, timestamp, seq, digest) VALUES ($r, $n, $id, $t, $s, $d);
                    INSERT INTO stored_ids (replica, key, n) VALUES ($r, $k, $n);
                    """;
                insert.Parameters.AddWithValue("$r", key);
                insert.Parameters.AddWithValue("$n", n + 1);
                insert.Parameters.AddWithValue("$id", IndexIds.Packed.Write(records[n].Id));
                insert.Parameters.AddWithValue("$t", records[n].Timestamp);
                insert.Parameters.AddWithValue("$s", sequenceOf(n));
                insert.Parameters.AddWithValue("$d", RecordDigest.Of(records[n]));
                insert.Parameters.AddWithValue("$k", IdKey.Of(records[n].Id));
                insert.ExecuteNonQuery();
            }
        }
    }

    /// <summary>A file as the index wrote it before ids got a tree of their own: rows in one table keyed by id.</summary>
    private void WriteEarlierLayout(IReadOnlyList<CapturedRecord> records, Func<int, long> sequenceOf, long progress)
    {
        using var connection = OpenFile();
        using var cmd = connection.CreateCommand();
        cmd.CommandText = """
            CREATE TABLE replicas (key INTEGER PRIMARY KEY, persistence_id TEXT NOT NULL UNIQUE);
            CREATE TABLE records (
              replica INTEGER NOT NULL, id TEXT NOT NULL, timestamp INTEGER NOT NULL, seq INTEGER NOT NULL, digest BLOB NOT NULL,
              PRIMARY KEY (replica, id)) WITHOUT ROWID;
            CREATE INDEX records_by_time ON records (replica, timestamp);
            CREATE TABLE quarantine (
              replica INTEGER NOT NULL, id TEXT NOT NULL, digest TEXT NOT NULL, timestamp INTEGER NOT NULL, seq INTEGER NOT NULL,
              reason TEXT NOT NULL, PRIMARY KEY (replica, id, digest)) WITHOUT ROWID;
            CREATE TABLE progress (replica INTEGER PRIMARY KEY, seq INTEGER NOT NULL);
            INSERT INTO replicas (key, persistence_id) VALUES (1, $p);
            INSERT INTO progress (replica, seq) VALUES (1, $progress);
            """;
        cmd.Parameters.AddWithValue("$p", Replica.PersistenceId);
        cmd.Parameters.AddWithValue("$progress", progress);
        cmd.ExecuteNonQuery();
        for (var n = 0; n < records.Count; n++)
        {
            using var insert = connection.CreateCommand();
            insert.CommandText = "INSERT INTO records (replica, id, timestamp, seq, digest) VALUES (1, $id, $t, $s, $d)";
            insert.Parameters.AddWithValue("$id", records[n].Id);
            insert.Parameters.AddWithValue("$t", records[n].Timestamp);
            insert.Parameters.AddWithValue("$s", sequenceOf(n));
            insert.Parameters.AddWithValue("$d", RecordDigest.Of(records[n]));
            insert.ExecuteNonQuery();
        }
    }
}
