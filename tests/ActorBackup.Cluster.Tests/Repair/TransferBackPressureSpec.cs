using ActorBackup.Cluster.Reading;
using ActorBackup.Cluster.Repair;
using ActorBackup.Cluster.Replica;
using ActorBackup.Cluster.Replica.Commands;
using ActorBackup.Cluster.Replica.Replies;
using ActorBackup.Cluster.Tests.Replica;
using Akka.Actor;
using Akka.Streams;
using Akka.Streams.Dsl;

namespace ActorBackup.Cluster.Tests.Repair;

/// <summary>The sending half of a transfer (journal reader into a stream ref) against a receiver that stops acknowledging.</summary>
public sealed class TransferBackPressureSpec : DilatedTestKit, IDisposable
{
    private static readonly ReplicaId Votes17 = new("votes", SpreadSamples.Shard);
    private readonly ReplicaEnvironment _env;

    public TransferBackPressureSpec() : this(new ReplicaEnvironment()) { }

    private TransferBackPressureSpec(ReplicaEnvironment env) : base(env.Config) => _env = env;

    private sealed record Init;
    private sealed record Ack;
    private sealed record Done;

    [Fact]
    public async Task A_receiver_that_stops_acknowledging_stops_the_sender_reading_its_journal()
    {
        var replica = Sys.ActorOf(ReplicaActor.Props(Votes17, _env.Options));
        var id = 0L;
        foreach (var chunk in SpreadSamples.Votes(0, 10_000).Chunk(500))
            await replica.Ask<RecordsStoredAck>(StoreRecords.Local(++id, chunk), TimeSpan.FromSeconds(20));
        var read = 0;
        var sourceRef = await new ReplicaReader(Sys).StoredBatches(Votes17, null, maxRecords: 500, maxBytes: 8 * 1024)
            .Select(b =>
            {
                Interlocked.Increment(ref read);
                return new RecordBatch(b);
            })
            .RunWith(StreamRefs.SourceRef<RecordBatch>(), Sys.Materializer());

        sourceRef.Source.RunWith(Sink.ActorRefWithAck<RecordBatch>(TestActor, new Init(), new Ack(), new Done()), Sys.Materializer());
        ExpectMsg<Init>();
        LastSender.Tell(new Ack());
        ExpectMsg<RecordBatch>();
        var receiverStage = LastSender;
        // Not acknowledged: nothing more may arrive, and the sender reads only what the buffers hold.
        ExpectNoMsg(Dilated(TimeSpan.FromMilliseconds(500)));
        var readWhileStalled = Volatile.Read(ref read);
        Assert.InRange(readWhileStalled, 1, 100);

        var batches = 1;
        receiverStage.Tell(new Ack());
        while (ReceiveOne(Dilated(TimeSpan.FromSeconds(20))) is RecordBatch)
        {
            batches++;
            LastSender.Tell(new Ack());
        }
        Assert.True(batches > 500, $"only {batches} batches");
        Assert.Equal(batches, Volatile.Read(ref read));
    }

    public new void Dispose()
    {
        base.Dispose();
        _env.Dispose();
    }
}
