using ActorBackup.Admin.Contract;
using ActorBackup.Cluster.Reading;
using ActorBackup.Cluster.Records;
using ActorBackup.Cluster.Replica;
using ActorBackup.Cluster.Replica.Commands;
using ActorBackup.Cluster.Replica.Replies;
using ActorBackup.Cluster.Serialization;
using ActorBackup.Cluster.Tests.Replica;
using ActorBackup.Cluster.Tests.Repair;
using Akka.Actor;
using Akka.Streams;
using Akka.Streams.Dsl;

namespace ActorBackup.Cluster.Tests.Reading;

/// <summary>Records written by a real replica actor into a real SQLite journal, read back.</summary>
public sealed class ReplicaReaderSpec : DilatedTestKit, IDisposable
{
    private static readonly ReplicaId Votes17 = new("votes", SpreadSamples.Shard);
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);
    private readonly ReplicaEnvironment _env;

    public ReplicaReaderSpec() : this(new ReplicaEnvironment()) { }

    private ReplicaReaderSpec(ReplicaEnvironment env) : base(env.Config) => _env = env;

    private IActorRef ReplicaWith(IEnumerable<CapturedRecord[]> batches, params QuarantinedRecord[] quarantined)
    {
        var replica = Sys.ActorOf(ReplicaActor.Props(Votes17, _env.Options));
        var id = 0L;
        foreach (var batch in batches)
        {
            replica.Tell(StoreRecords.Local(++id, batch), TestActor);
            ExpectMsg<RecordsStoredAck>(Timeout);
        }
        if (quarantined.Length > 0)
        {
            replica.Tell(QuarantineRecords.Local(++id, quarantined), TestActor);
            ExpectMsg<RecordsQuarantinedAck>(Timeout);
        }
        return replica;
    }

    private List<T> Run<T>(Source<T, Akka.NotUsed> source)
    {
        var read = source.RunWith(Sink.Seq<T>(), Sys.Materializer());
        Assert.True(read.Wait(Dilated(Timeout)), "the read did not complete in time");
        return [.. read.Result];
    }

    [Fact]
    public void Exactly_the_stored_records_up_to_the_time_come_back_byte_equal_in_journal_order()
    {
        var all = SpreadSamples.Votes(0, 1200);
        // 24 events: more than one query's worth (ReplicaReader.EventsPerQuery).
        ReplicaWith(all.Chunk(50), SpreadSamples.Forged(5000));
        var upTo = Watermark.At(SpreadSamples.FirstTimestamp + 799);

        var read = Run(new ReplicaReader(Sys).Stored(Votes17, upTo));

        Assert.Equal(800, read.Count);
        Assert.Equal(all.Take(800).Select(r => r.Id), read.Select(r => r.Id));
        for (var i = 0; i < read.Count; i++) Assert.True(read[i].Json.Span.SequenceEqual(all[i].Json.Span), $"{read[i].Id} differs");
        Assert.All(read, r => Assert.Equal(RecordVerdict.Verified, r.Verdict));
    }

    [Fact]
    public void Everything_is_read_without_a_time_and_nothing_before_the_first_watermark()
    {
        ReplicaWith(SpreadSamples.Votes(0, 300).Chunk(100));
        var reader = new ReplicaReader(Sys);

        Assert.Equal(300, Run(reader.Stored(Votes17)).Count);
        Assert.Empty(Run(reader.Stored(Votes17, Watermark.None)));
        Assert.Empty(Run(reader.Stored(new ReplicaId("votes", 3))));
    }

    [Fact]
    public void Quarantined_records_are_read_only_on_their_own()
    {
        var forged = new[] { SpreadSamples.Forged(2), SpreadSamples.Forged(7000) };
        ReplicaWith([SpreadSamples.Votes(0, 10)], forged);
        var reader = new ReplicaReader(Sys);

        Assert.DoesNotContain(Run(reader.Stored(Votes17)), r => r.Verdict != RecordVerdict.Verified || r.Json.Span.SequenceEqual(forged[0].Record.Json.Span));
        var entries = forged.Select(f => QuarantineEntry.Of(f, AtRest.Get(Sys).Settings.QuarantinePrefixBytes)).ToArray();
        Assert.Equal(entries, Run(reader.Quarantined(Votes17)));
        Assert.Equal([entries[0]], Run(reader.Quarantined(Votes17, Watermark.At(SpreadSamples.FirstTimestamp + 10))));
    }

    [Fact]
    public void Batches_for_the_wire_respect_the_byte_budget_and_hold_every_record_once()
    {
        var all = SpreadSamples.Votes(0, 1000);
        ReplicaWith(all.Chunk(500));

        var batches = Run(new ReplicaReader(Sys).StoredBatches(Votes17, null, maxRecords: 500, maxBytes: 16 * 1024));

        Assert.True(batches.Count > 20, $"{batches.Count} batches");
        Assert.All(batches, b => Assert.True(b.Sum(r => r.Json.Length) <= 16 * 1024));
        Assert.Equal(all.Select(r => r.Id), batches.SelectMany(b => b).Select(r => r.Id));
    }

    [Fact]
    public void Records_located_through_the_index_are_read_from_their_events_only()
    {
        var all = SpreadSamples.Votes(0, 1500);
        var replica = ReplicaWith(all.Chunk(500));
        AwaitIndexed(replica, 1500);
        var index = new StoredIdReader(_env.Options.IndexFile, null);
        var wanted = new[] { all[3].Id, all[700].Id, all[1499].Id, "44ffffff-not-stored" };

        var located = index.Locate(Votes17, wanted);
        var read = Run(new ReplicaReader(Sys).StoredBatchesByLocation(Votes17, located, 500, 64 * 1024)).SelectMany(b => b).ToArray();

        Assert.Equal([1L, 2L, 3L], located.Select(l => l.SequenceNr).Order());
        Assert.Equal(new[] { all[3], all[700], all[1499] }, read);
    }

    [Fact]
    public void Bucket_digests_add_up_to_the_replica_digest_and_bucket_pages_list_every_id_once()
    {
        var all = SpreadSamples.Votes(0, 3000);
        var replica = ReplicaWith(all.Chunk(500));
        AwaitIndexed(replica, 3000);
        var index = new StoredIdReader(_env.Options.IndexFile, null);
        var buckets = IdBuckets.Of(64, SpreadSamples.Shard);

        var digests = index.BucketDigests(Votes17, buckets);
        var listed = new List<string>();
        foreach (var bucket in buckets.All)
        {
            string? after = null;
            do
            {
                var page = index.IdsIn(Votes17, bucket, after, maxIds: 7, maxBytes: 64 * 1024);
                Assert.True(page.Ids.Count <= 7);
                listed.AddRange(page.Ids);
                after = page.Next;
            }
            while (after is not null);
        }

        Assert.Equal(3000, digests.Sum(d => d.Count));
        Assert.Equal(SpreadSamples.DigestOf(all), digests.Aggregate(ShardDigest.Empty, (sum, d) => Sum(sum, d.Digest)));
        Assert.Equal(all.Select(r => r.Id).Order(StringComparer.Ordinal), listed);
    }

    [Fact]
    public void A_page_of_ids_stops_at_the_byte_budget()
    {
        var replica = ReplicaWith([SpreadSamples.Votes(0, 100)]);
        AwaitIndexed(replica, 100);
        var whole = new IdBucket(0, null, null);

        var page = new StoredIdReader(_env.Options.IndexFile, null).IdsIn(Votes17, whole, null, maxIds: 1000, maxBytes: 360);

        Assert.Equal(10, page.Ids.Count);
        Assert.Equal(page.Ids[^1], page.Next);
    }

    [Fact]
    public void A_replica_or_index_file_that_does_not_exist_reads_as_empty()
    {
        var missing = new StoredIdReader(Path.Combine(_env.DataDirectory, "no-such-index.sqlite"), null);
        var buckets = IdBuckets.Of(64, SpreadSamples.Shard);

        Assert.All(missing.BucketDigests(Votes17, buckets), d => Assert.Equal(BucketDigest.Empty, d));
        Assert.Empty(missing.IdsIn(Votes17, buckets.All[0], null, 10, 1000).Ids);
        Assert.Empty(missing.Locate(Votes17, ["x"]));
    }

    private void AwaitIndexed(IActorRef replica, long count)
    {
        replica.Tell(FlushIndex.Instance, TestActor);
        Assert.Equal(count, ExpectMsg<IndexFlushed>(Timeout).Status.StoredCount);
    }

    // The digest of the union of two disjoint sets is the sum of their digests; ShardDigest exposes
    // only Add of a record digest, so the sum is taken on the big-endian bytes.
    private static ShardDigest Sum(ShardDigest a, ShardDigest b)
    {
        var (x, y) = (new System.Numerics.BigInteger(a.ToBytes(), isUnsigned: true, isBigEndian: true),
            new System.Numerics.BigInteger(b.ToBytes(), isUnsigned: true, isBigEndian: true));
        var sum = ((x + y) % (System.Numerics.BigInteger.One << 256)).ToByteArray(isUnsigned: true, isBigEndian: true);
        return ShardDigest.FromBytes(new byte[32 - sum.Length].Concat(sum).ToArray());
    }

    public new void Dispose()
    {
        base.Dispose();
        _env.Dispose();
    }
}
