using ActorBackup.Admin.Contract;
using ActorBackup.Cluster.Reading;
using ActorBackup.Cluster.Records;
using ActorBackup.Cluster.Replica;
using ActorBackup.Cluster.Replica.Events;
using ActorBackup.Cluster.Tests.Settings;
using Microsoft.Data.Sqlite;

namespace ActorBackup.Cluster.Tests.Replica;

public sealed class ReplicaIndexSpec : IDisposable
{
    private static readonly ReplicaId Replica = new("votes", 0);
    private readonly string _directory = Directory.CreateTempSubdirectory("actorbackup-index-").FullName;

    private string File => Path.Combine(_directory, "index.sqlite");

    private static RecordsStored Stored(int from, int count) =>
        new(Enumerable.Range(from, count).Select(n => Samples.VoteInShard(0, n, 1_700_000_000 + n)).ToList());

    private static string IdOf(int n) => Samples.VoteInShard(0, n, 0).Id;

    [Fact]
    public void The_duplicate_check_finds_exactly_the_stored_ids_after_the_index_is_opened_again()
    {
        using (var index = ReplicaIndex.Open(File, Replica, ReferenceSettings.Defaults.RecordIndex))
        {
            index.Apply(1, Stored(0, 3_000));
            index.Flush();
        }
        using var reopened = ReplicaIndex.Open(File, Replica, ReferenceSettings.Defaults.RecordIndex);

        var found = reopened.FindStored(Enumerable.Range(2_000, 2_000).Select(IdOf));

        Assert.Equal(Enumerable.Range(2_000, 1_000).Select(IdOf).ToHashSet(), found.ToHashSet());
    }

    [Fact]
    public void The_duplicate_check_finds_ids_still_in_the_buffer_and_in_the_file_together()
    {
        using var index = ReplicaIndex.Open(File, Replica, ReferenceSettings.Defaults.RecordIndex);
        index.Apply(1, Stored(0, 10));
        index.Flush();
        index.Apply(2, Stored(10, 10));

        var found = index.FindStored([IdOf(3), IdOf(15), IdOf(25), IdOf(3)]);

        Assert.Equal(new HashSet<string> { IdOf(3), IdOf(15) }, found.ToHashSet());
    }

    [Fact]
    public void After_a_reset_no_id_is_stored()
    {
        using var index = ReplicaIndex.Open(File, Replica, ReferenceSettings.Defaults.RecordIndex);
        index.Apply(1, Stored(0, 10));
        index.Flush();

        index.Reset();

        Assert.Empty(index.FindStored(Enumerable.Range(0, 10).Select(IdOf)));
    }

    [Fact]
    public void Ids_sharing_their_first_eight_characters_are_told_apart_by_every_lookup()
    {
        string[] ids = ["0000abcd-0001", "0000abcd-0002", "0000abcd", "0000abce-0001"];
        using (var index = ReplicaIndex.Open(File, Replica, ReferenceSettings.Defaults.RecordIndex))
        {
            index.Apply(1, new RecordsStored([Samples.Vote(ids[0], 10), Samples.Vote(ids[1], 11)]));
            index.Apply(2, new RecordsStored([Samples.Vote(ids[2], 12), Samples.Vote(ids[3], 13)]));
            index.Flush();
        }
        using var reopened = ReplicaIndex.Open(File, Replica, ReferenceSettings.Defaults.RecordIndex);
        var reader = new StoredIdReader(File);

        Assert.Equal(new HashSet<string> { ids[1], ids[2] }, reopened.FindStored([ids[1], ids[2], "0000abcd-0003", "0000abc"]).ToHashSet());
        Assert.Equal([(ids[2], 2L), (ids[1], 1L)], reader.Locate(Replica, [ids[1], ids[2], "0000abcd-0003"]).OrderBy(l => l.Id, StringComparer.Ordinal));
        Assert.Equal([ids[2], ids[0]], reader.IdsIn(Replica, new IdBucket(0, "0000abcd", "0000abcd-0002"), after: null, maxIds: 10, maxBytes: 1000).Ids);
        Assert.Equal([ids[1]], reader.IdsIn(Replica, new IdBucket(0, "0000abcd", "0000abce"), after: ids[0], maxIds: 10, maxBytes: 1000).Ids);
    }

    [Fact]
    public void An_event_applied_again_after_its_records_were_written_adds_no_row()
    {
        using var index = ReplicaIndex.Open(File, Replica, ReferenceSettings.Defaults.RecordIndex);
        index.Apply(1, Stored(0, 100));
        index.Flush();

        index.Apply(1, Stored(0, 100));
        index.Apply(2, Stored(100, 10));

        Assert.Equal(110, index.DigestAt(Watermark.At(2_000_000_000)).Count);
        Assert.Equal(110, index.StoredAt(Watermark.At(2_000_000_000)).Select(r => r.Id).Distinct().Count());
    }

    [Fact]
    public void An_index_file_of_the_earlier_layout_opens_with_every_record_digest_and_progress_mark()
    {
        var records = Enumerable.Range(0, 50).Select(n => Samples.VoteInShard(0, n, 1_700_000_000 + n)).ToList();
        WriteEarlierLayout(records, sequenceOf: n => 1 + n / 10, progress: 5);

        using var index = ReplicaIndex.Open(File, Replica, ReferenceSettings.Defaults.RecordIndex);

        Assert.Equal(5, index.IndexedUpTo);
        Assert.Equal(records.Select(r => r.Id).ToHashSet(), index.FindStored(records.Select(r => r.Id).Append("00ffffff-none")).ToHashSet());
        var stored = index.StoredAt(Watermark.At(1_700_000_024)).ToList();
        Assert.Equal(records.Take(25).Select(r => (r.Id, r.Timestamp, Hex: Convert.ToHexString(RecordDigest.Of(r)))),
            stored.Select(r => (r.Id, r.Timestamp, Hex: Convert.ToHexString(r.Digest))));
        Assert.Equal(Enumerable.Range(0, 25).Select(n => 1L + n / 10), stored.Select(r => r.SequenceNr));
        Assert.Equal([(records[42].Id, 5L)], new StoredIdReader(File).Locate(Replica, [records[42].Id]));

        index.Apply(6, Stored(50, 5));
        index.Flush();
        Assert.Equal(55, index.DigestAt(Watermark.At(2_000_000_000)).Count);
    }

    [Fact]
    public void Preparing_a_file_of_the_earlier_layout_moves_its_records_once_and_a_new_file_has_none_to_move()
    {
        var records = Enumerable.Range(0, 30).Select(n => Samples.VoteInShard(0, n, 1_700_000_000 + n)).ToList();
        WriteEarlierLayout(records, sequenceOf: n => 1 + n / 10, progress: 3);

        Assert.Equal(30, ReplicaIndex.Prepare(File));
        Assert.Equal(0, ReplicaIndex.Prepare(File));
        Assert.Equal(0, ReplicaIndex.Prepare(Path.Combine(_directory, "new", "index.sqlite")));
        using var index = ReplicaIndex.Open(File, Replica, ReferenceSettings.Defaults.RecordIndex);
        Assert.Equal(30, index.DigestAt(Watermark.At(2_000_000_000)).Count);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    /// <summary>A file as the index wrote it before ids got a tree of their own: rows in one table keyed by id.</summary>
    private void WriteEarlierLayout(IReadOnlyList<CapturedRecord> records, Func<int, long> sequenceOf, long progress)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = File, Pooling = false }.ToString());
        connection.Open();
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
