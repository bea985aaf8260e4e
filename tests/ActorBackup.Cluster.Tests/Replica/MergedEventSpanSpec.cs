using ActorBackup.Admin.Contract;
using ActorBackup.Cluster.Journal;
using ActorBackup.Cluster.Reading;
using ActorBackup.Cluster.Records;
using ActorBackup.Cluster.Replica;
using ActorBackup.Cluster.Replica.Commands;
using ActorBackup.Cluster.Replica.Replies;
using Akka.Streams;
using Akka.Streams.Dsl;

namespace ActorBackup.Cluster.Tests.Replica;

/// <summary>
/// A segment (events since the last snapshot) far longer than <see cref="JournalCompaction.MaxEvents"/>, on a quiet
/// source: a record event now and then among watermark moves. Merged again and again, one merged event could come to
/// cover the whole segment, and a reader looking for a deleted event's records searches only that many sequence numbers
/// after it (<see cref="ReplicaReader.StoredBatchesByLocation"/>, which repair serves siblings from).
/// </summary>
public sealed class MergedEventSpanSpec : DilatedTestKit, IDisposable
{
    private static readonly ReplicaId Votes17 = new("votes", 17);
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private readonly ReplicaEnvironment _env;

    public MergedEventSpanSpec() : this(new ReplicaEnvironment()) { }

    private MergedEventSpanSpec(ReplicaEnvironment env) : base(env.Config) => _env = env;

    [Fact]
    public async Task No_merged_event_covers_more_than_the_bound_and_every_record_is_found_by_location()
    {
        var options = _env.Options with { SnapshotEvery = 5000 };
        var replica = Sys.ActorOf(ReplicaActor.Props(Votes17, options));
        var stored = new List<CapturedRecord>();
        var watermark = 1_490_000_000L;
        // 400 one-record events, each followed by three watermark moves: 1,600 events in one segment, written as a
        // follower writes them (each group acknowledged before the next), so that compaction runs window by window.
        for (var i = 0; i < 400; i++)
        {
            var record = Samples.VoteInShard(17, i, 1_490_000_000 + i);
            replica.Tell(StoreRecords.Local(i, [record]), TestActor);
            stored.Add(record);
            for (var w = 0; w < 3; w++) replica.Tell(AdvanceWatermark.Local(Watermark.At(++watermark)), TestActor);
            ExpectMsg<RecordsStoredAck>(Timeout);
            for (var w = 0; w < 3; w++) ExpectMsg<WatermarkAck>(Timeout);
        }
        replica.Tell(FlushIndex.Instance, TestActor);
        ExpectMsg<IndexFlushed>(Timeout);
        AwaitAssert(() => Assert.True(JournalEvents().Count <= 40, $"{JournalEvents().Count} events in the journal"), Timeout);

        // Every event covers the sequence numbers after the one before it, and none more than the bound.
        var sequenceNrs = JournalEvents();
        var spans = sequenceNrs.Zip(sequenceNrs.Skip(1), (before, after) => after - before).Prepend(sequenceNrs[0]).ToList();
        Assert.True(spans.Max() <= JournalCompaction.MaxEvents, $"an event covers {spans.Max()} sequence numbers");
        Assert.True(sequenceNrs[^1] > 1500, $"the journal ends at {sequenceNrs[^1]}");

        var materializer = Sys.Materializer();
        var inOrder = await new ReplicaReader(Sys).Stored(Votes17).RunWith(Sink.Seq<CapturedRecord>(), materializer);
        Assert.Equal(stored.Select(r => r.Id).Order(), inOrder.Select(r => r.Id).Order());
        var located = new StoredIdReader(_env.Options.IndexFile, null).Locate(Votes17, stored.Select(r => r.Id));
        Assert.Equal(stored.Count, located.Count);
        var byLocation = (await new ReplicaReader(Sys).StoredBatchesByLocation(Votes17, located, 7, long.MaxValue)
            .RunWith(Sink.Seq<IReadOnlyList<CapturedRecord>>(), materializer)).SelectMany(b => b).ToList();
        Assert.Equal(stored.Select(r => r.Id).Order(), byLocation.Select(r => r.Id).Order());
    }

    private List<long> JournalEvents() =>
        _env.JournalRows("SELECT sequence_number FROM journal ORDER BY sequence_number", reader => reader.GetInt64(0));

    public new void Dispose()
    {
        base.Dispose();
        _env.Dispose();
    }
}
