using ActorBackup.Admin.Contract;
using ActorBackup.Cluster.Reading;
using ActorBackup.Cluster.Reconcile;
using ActorBackup.Cluster.Records;
using ActorBackup.Cluster.Replica;
using ActorBackup.Cluster.Replica.Events;
using ActorBackup.Cluster.Tests.Settings;
using ActorBackup.Cluster.Encryption;
using ActorBackup.Cluster.Sharding;
using Microsoft.Data.Sqlite;

namespace ActorBackup.Cluster.Tests.Replica;

/// <summary>
/// What the record index answers, the same whether it writes ids in clear (<see cref="ReplicaIndexInClearSpec"/>) or
/// sealed (<see cref="ReplicaIndexWithSealedIdsSpec"/>).
/// </summary>
public abstract class ReplicaIndexSpec : IDisposable
{
    protected static readonly ReplicaId Replica = new("votes", 0);
    protected readonly string _directory = Directory.CreateTempSubdirectory("actorbackup-index-").FullName;

    protected string File => Path.Combine(_directory, "index.sqlite");

    /// <summary>The node's encryption keys, null when it writes in clear.</summary>
    protected abstract KeyRing? Keys { get; }

    protected ReplicaIndex Open() => ReplicaIndex.Open(File, Replica, ReferenceSettings.Defaults.RecordIndex, Keys);

    protected static RecordsStored Stored(int from, int count) =>
        new(Enumerable.Range(from, count).Select(n => Samples.VoteInShard(0, n, 1_700_000_000 + n)).ToList());

    protected static string IdOf(int n) => Samples.VoteInShard(0, n, 0).Id;

    [Fact]
    public void The_duplicate_check_finds_exactly_the_stored_ids_after_the_index_is_opened_again()
    {
        using (var index = Open())
        {
            index.Apply(1, Stored(0, 3_000));
            index.Flush();
        }
        using var reopened = Open();

        var found = reopened.FindStored(Enumerable.Range(2_000, 2_000).Select(IdOf));

        Assert.Equal(Enumerable.Range(2_000, 1_000).Select(IdOf).ToHashSet(), found.ToHashSet());
    }

    [Fact]
    public void The_duplicate_check_finds_ids_still_in_the_buffer_and_in_the_file_together()
    {
        using var index = Open();
        index.Apply(1, Stored(0, 10));
        index.Flush();
        index.Apply(2, Stored(10, 10));

        var found = index.FindStored([IdOf(3), IdOf(15), IdOf(25), IdOf(3)]);

        Assert.Equal(new HashSet<string> { IdOf(3), IdOf(15) }, found.ToHashSet());
    }

    [Fact]
    public void After_a_reset_no_id_is_stored()
    {
        using var index = Open();
        index.Apply(1, Stored(0, 10));
        index.Flush();

        index.Reset();

        Assert.Empty(index.FindStored(Enumerable.Range(0, 10).Select(IdOf)));
    }

    [Fact]
    public void Ids_sharing_their_first_eight_characters_are_told_apart_by_every_lookup()
    {
        string[] ids = ["0000abcd-0001", "0000abcd-0002", "0000abcd", "0000abce-0001"];
        using (var index = Open())
        {
            index.Apply(1, new RecordsStored([Samples.Vote(ids[0], 10), Samples.Vote(ids[1], 11)]));
            index.Apply(2, new RecordsStored([Samples.Vote(ids[2], 12), Samples.Vote(ids[3], 13)]));
            index.Flush();
        }
        using var reopened = Open();
        var reader = new StoredIdReader(File, Keys);

        Assert.Equal(new HashSet<string> { ids[1], ids[2] }, reopened.FindStored([ids[1], ids[2], "0000abcd-0003", "0000abc"]).ToHashSet());
        Assert.Equal([(ids[2], 2L), (ids[1], 1L)], reader.Locate(Replica, [ids[1], ids[2], "0000abcd-0003"]).OrderBy(l => l.Id, StringComparer.Ordinal));
        Assert.Equal([ids[2], ids[0]], reader.IdsIn(Replica, new IdBucket(0, "0000abcd", "0000abcd-0002"), after: null, maxIds: 10, maxBytes: 1000).Ids);
        Assert.Equal([ids[1]], reader.IdsIn(Replica, new IdBucket(0, "0000abcd", "0000abce"), after: ids[0], maxIds: 10, maxBytes: 1000).Ids);
    }

    [Fact]
    public void An_event_applied_again_after_its_records_were_written_adds_no_row()
    {
        using var index = Open();
        index.Apply(1, Stored(0, 100));
        index.Flush();

        index.Apply(1, Stored(0, 100));
        index.Apply(2, Stored(100, 10));

        Assert.Equal(110, index.DigestAt(Watermark.At(2_000_000_000)).Count);
        Assert.Equal(110, index.StoredAt(Watermark.At(2_000_000_000)).Select(r => r.Id).Distinct().Count());
    }

    [Fact]
    public void Every_reader_answers_from_the_ids_in_the_file()
    {
        var quarantined = QuarantineEntry.Of(
            new QuarantinedRecord(Samples.VoteInShard(0, 500, 1_700_000_500) with { Verdict = RecordVerdict.Quarantined }, "bad-signature", "x"), 64);
        using (var index = Open())
        {
            index.Apply(1, Stored(0, 200));
            index.Apply(2, new RecordsQuarantined([quarantined]));
            index.Flush();
        }
        var reader = new StoredIdReader(File, Keys);
        var all = Enumerable.Range(0, 200).Select(IdOf).Order(StringComparer.Ordinal).ToList();
        var (lower, upper) = (all[50], all[150]);

        Assert.Equal(IdTally.Of(all.Skip(50).Take(100)), reader.TallyIn(Replica, lower, upper));
        // A quarantined id is not: only the source's document, fetched and verified, says whether the source holds that one.
        Assert.Equal(IdTally.Of(all), reader.TallyIn(Replica, null, null));
        Assert.Equal(all.Skip(50).Take(100).ToHashSet(), reader.StoredIdsIn(Replica, lower, upper).ToHashSet());
        Assert.DoesNotContain(IdOf(500), reader.StoredIdsIn(Replica, null, null));
        var kept = QuarantineKey.Of(quarantined);
        // Another document under the same id is not the one kept.
        Assert.Equal(new HashSet<QuarantineKey> { kept },
            reader.QuarantinedAmong(Replica, [kept, kept with { DigestHex = new string('0', 64) }, new QuarantineKey(IdOf(1), kept.DigestHex)]).ToHashSet());
        Assert.Equal(new HashSet<string> { IdOf(7) }, reader.Stored(Replica, [IdOf(7), IdOf(999)]).ToHashSet());
        var paged = new List<string>();
        string? after = null;
        do
        {
            var page = reader.IdsIn(Replica, new IdBucket(0, lower, upper), after, maxIds: 7, maxBytes: 10_000);
            Assert.True(page.Ids.Count <= 7);
            paged.AddRange(page.Ids);
            after = page.Next;
        }
        while (after is not null);
        Assert.Equal(all.Skip(50).Take(100), paged);
        Assert.Equal(200, reader.BucketDigests(Replica, new IdBuckets(new ShardRange(0, null, null))).Sum(b => b.Count));
    }

    [Fact]
    public void Records_of_one_second_come_in_id_order()
    {
        var records = Enumerable.Range(0, 40).Select(n => Samples.VoteInShard(0, n, 1_700_000_000 + n % 3)).ToList();
        using var index = Open();
        index.Apply(1, new RecordsStored(records));

        var read = index.StoredAt(Watermark.At(2_000_000_000)).Select(r => (r.Timestamp, r.Id)).ToList();

        Assert.Equal(records.Select(r => (r.Timestamp, r.Id)).OrderBy(r => r.Timestamp).ThenBy(r => r.Id, StringComparer.Ordinal), read);
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }
}
