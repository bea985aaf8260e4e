using ActorBackup.Admin.Contract;
using ActorBackup.Cluster.Reading;
using ActorBackup.Cluster.Records;
using ActorBackup.Cluster.Replica;
using ActorBackup.Cluster.Replica.Commands;
using ActorBackup.Cluster.Replica.Replies;
using ActorBackup.Cluster.Serialization;
using ActorBackup.Cluster.Settings;
using Akka.Actor;
using Akka.Pattern;
using Microsoft.Data.Sqlite;

namespace ActorBackup.Cluster.Tests.Replica;

/// <summary>The replica actor against a real journal; subclasses choose which.</summary>
public abstract class ReplicaActorSpec(ReplicaEnvironment env) : DilatedTestKit(env.Config), IDisposable
{
    protected static readonly ReplicaId Votes17 = new("votes", 17);
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    protected ReplicaEnvironment Env { get; } = env;

    /// <summary>(serializer id, manifest) of every event and snapshot row the journal holds.</summary>
    protected abstract IReadOnlyList<(long Serializer, string Manifest)> StoredPayloadKinds();

    private static CapturedRecord[] Batch(int from, int count, long timestamp = 1490000000) =>
        Enumerable.Range(from, count).Select(i => Samples.VoteInShard(17, i, timestamp + i)).ToArray();

    private static ShardDigest DigestOf(IEnumerable<CapturedRecord> records) =>
        records.Aggregate(ShardDigest.Empty, (d, r) => d.Add(RecordDigest.Of(r)));

    private IActorRef Replica() => Sys.ActorOf(ReplicaActor.Props(Votes17, Env.Options));

    private T Send<T>(IActorRef replica, object command)
    {
        replica.Tell(command, TestActor);
        return ExpectMsg<T>(Timeout);
    }

    [Fact]
    public void A_batch_is_acknowledged_once_persisted_and_counted_in_the_status()
    {
        var replica = Replica();
        var batch = Batch(0, 100);

        Assert.Equal(new RecordsStoredAck(1, 100, 0), Send<RecordsStoredAck>(replica, StoreRecords.Local(1, batch)));

        var status = Send<ReplicaStatus>(replica, GetReplicaStatus.Instance);
        Assert.Equal(new ReplicaStatus(Votes17, 100, 0, DigestOf(batch), Watermark.None, 1490000099, 1), status);
    }

    [Fact]
    public void After_FlushIndex_is_answered_the_index_file_holds_every_acknowledged_record()
    {
        var replica = Replica();
        var batch = Batch(0, 100);
        Send<RecordsStoredAck>(replica, StoreRecords.Local(1, batch));

        var flushed = Send<IndexFlushed>(replica, FlushIndex.Instance);

        Assert.Equal(100, flushed.Status.StoredCount);
        Assert.Equal(100, new StoredIdReader(Env.Options.IndexFile, null).Stored(Votes17, batch.Select(r => r.Id).ToList()).Count);
    }

    [Fact]
    public async Task Acknowledged_records_reach_the_index_file_within_the_flush_interval_without_being_asked()
    {
        var replica = Replica();
        var batch = Batch(0, 100);
        Send<RecordsStoredAck>(replica, StoreRecords.Local(1, batch));
        var reader = new StoredIdReader(Env.Options.IndexFile, null);

        await AwaitAssertAsync(
            () => Assert.Equal(100, reader.Stored(Votes17, batch.Select(r => r.Id).ToList()).Count),
            Env.Options.Index.FlushInterval + Timeout, TimeSpan.FromMilliseconds(50));
    }

    [Fact]
    public void A_record_captured_twice_is_stored_once()
    {
        var replica = Replica();
        var first = Batch(0, 50);
        var second = Batch(25, 50);

        Send<RecordsStoredAck>(replica, StoreRecords.Local(1, [.. first, first[0], first[1]]));
        Assert.Equal(new RecordsStoredAck(2, 25, 25), Send<RecordsStoredAck>(replica, StoreRecords.Local(2, second)));
        Assert.Equal(new RecordsStoredAck(3, 0, 50), Send<RecordsStoredAck>(replica, StoreRecords.Local(3, second)));

        var status = Send<ReplicaStatus>(replica, GetReplicaStatus.Instance);
        Assert.Equal(75, status.StoredCount);
        Assert.Equal(DigestOf(Batch(0, 75)), status.Digest);
        Assert.Equal(2, status.LastSequenceNr);
    }

    [Fact]
    public void A_batch_for_another_shard_is_rejected_and_nothing_of_it_is_stored()
    {
        var replica = Replica();
        var stray = Samples.VoteInShard(3, 1, 1490000000);

        var rejected = Send<BatchRejected>(replica, StoreRecords.Local(7, [.. Batch(0, 3), stray]));

        Assert.Equal(new BatchRejected(7, $"record {stray.Id} belongs to shard 3, this replica holds shard 17"), rejected);
        Assert.Equal(0, Send<ReplicaStatus>(replica, GetReplicaStatus.Instance).StoredCount);
    }

    [Fact]
    public void The_watermark_is_acknowledged_once_durable_and_never_moves_back()
    {
        var replica = Replica();

        Assert.Equal(new WatermarkAck(Watermark.At(1490000050)), Send<WatermarkAck>(replica, AdvanceWatermark.Local(Watermark.At(1490000050))));
        Assert.Equal(new WatermarkAck(Watermark.At(1490000050)), Send<WatermarkAck>(replica, AdvanceWatermark.Local(Watermark.At(1490000010))));

        var status = Send<ReplicaStatus>(replica, GetReplicaStatus.Instance);
        Assert.Equal(Watermark.At(1490000050), status.BackedUpTo);
        Assert.Equal(1, status.LastSequenceNr);
    }

    [Fact]
    public void Quarantined_records_are_kept_once_and_never_counted_as_stored()
    {
        var replica = Replica();
        var genuine = Batch(0, 1)[0];
        var forged = new QuarantinedRecord(genuine with { Json = "{\"forged\":true}"u8.ToArray(), Verdict = RecordVerdict.Quarantined }, "bad-signature", "signature does not verify");

        Send<RecordsStoredAck>(replica, StoreRecords.Local(1, [genuine]));
        Assert.Equal(new RecordsQuarantinedAck(2, 1, 0), Send<RecordsQuarantinedAck>(replica, QuarantineRecords.Local(2, [forged])));
        Assert.Equal(new RecordsQuarantinedAck(3, 0, 1), Send<RecordsQuarantinedAck>(replica, QuarantineRecords.Local(3, [forged])));

        var status = Send<ReplicaStatus>(replica, GetReplicaStatus.Instance);
        Assert.Equal((1L, 1L, DigestOf([genuine])), (status.StoredCount, status.QuarantinedCount, status.Digest));
    }

    [Fact]
    public void The_digest_at_a_point_in_time_covers_exactly_the_records_up_to_it()
    {
        var replica = Replica();
        var batch = Batch(0, 20);
        Send<RecordsStoredAck>(replica, StoreRecords.Local(1, batch));

        var at = Send<DigestAt>(replica, new GetDigestAt(Watermark.At(1490000009)));

        Assert.Equal(new DigestAt(Watermark.At(1490000009), 10, DigestOf(batch.Take(10))), at);
    }

    [Fact]
    public async Task A_restarted_node_recovers_the_same_count_digest_and_watermark_from_snapshot_and_journal()
    {
        var replica = Replica();
        for (var b = 0; b < 25; b++)
            Send<RecordsStoredAck>(replica, StoreRecords.Local(b, Batch(b * 10, 10)));
        Send<WatermarkAck>(replica, AdvanceWatermark.Local(Watermark.At(1490000249)));
        var before = Send<ReplicaStatus>(replica, GetReplicaStatus.Instance);
        await Sys.Terminate();
        Assert.Equal(26, before.LastSequenceNr);

        var restarted = Env.NewSystem();
        try
        {
            var again = restarted.ActorOf(ReplicaActor.Props(Votes17, Env.Options));
            var after = await again.Ask<ReplicaStatus>(GetReplicaStatus.Instance, Timeout);
            Assert.Equal(before, after);
            Assert.Equal(DigestOf(Batch(0, 250)), after.Digest);
            var duplicate = await again.Ask<RecordsStoredAck>(StoreRecords.Local(99, Batch(0, 10)), Timeout);
            Assert.Equal(new RecordsStoredAck(99, 0, 10), duplicate);
        }
        finally
        {
            await restarted.Terminate();
        }
        Assert.Contains((BackupMessageSerializer.SerializerId, "RU"), StoredPayloadKinds());
    }

    [Fact]
    public async Task A_lost_record_index_is_rebuilt_from_the_whole_journal()
    {
        var replica = Replica();
        for (var b = 0; b < 12; b++)
            Send<RecordsStoredAck>(replica, StoreRecords.Local(b, Batch(b * 10, 10)));
        var before = Send<ReplicaStatus>(replica, GetReplicaStatus.Instance);
        await Sys.Terminate();
        SqliteConnection.ClearAllPools();
        foreach (var file in Directory.GetFiles(Env.DataDirectory, "index.sqlite*"))
            File.Delete(file);

        var restarted = Env.NewSystem();
        try
        {
            var again = restarted.ActorOf(ReplicaActor.Props(Votes17, Env.Options));
            Assert.Equal(before, await again.Ask<ReplicaStatus>(GetReplicaStatus.Instance, Timeout));
            Assert.Equal(new RecordsStoredAck(1, 0, 10), await again.Ask<RecordsStoredAck>(StoreRecords.Local(1, Batch(50, 10)), Timeout));
            var at = await again.Ask<DigestAt>(new GetDigestAt(Watermark.At(1490000119)), Timeout);
            Assert.Equal((120L, before.Digest), (at.Count, at.Digest));
        }
        finally
        {
            await restarted.Terminate();
        }
    }

    [Fact]
    public void A_supervised_replica_that_stops_is_started_again_and_recovers_its_records()
    {
        var supervisor = Sys.ActorOf(ReplicaActor.Supervised(Votes17, Env.Options,
            new BackoffSettings(TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(100), 0)));
        Assert.Equal(new RecordsStoredAck(1, 20, 0), Send<RecordsStoredAck>(supervisor, StoreRecords.Local(1, Batch(0, 20))));
        supervisor.Tell(BackoffSupervisor.GetCurrentChild.Instance, TestActor);
        var first = ExpectMsg<BackoffSupervisor.CurrentChild>(Timeout).Ref;

        Watch(first);
        first.Tell(PoisonPill.Instance);
        ExpectTerminated(first, Timeout);

        AwaitAssert(() =>
        {
            supervisor.Tell(BackoffSupervisor.GetCurrentChild.Instance, TestActor);
            var child = ExpectMsg<BackoffSupervisor.CurrentChild>(Timeout).Ref;
            Assert.NotNull(child);
            Assert.NotEqual(first, child);
        }, Timeout, TimeSpan.FromMilliseconds(20));
        Assert.Equal(20, Send<ReplicaStatus>(supervisor, GetReplicaStatus.Instance).StoredCount);
        Assert.Equal(new RecordsStoredAck(2, 0, 20), Send<RecordsStoredAck>(supervisor, StoreRecords.Local(2, Batch(0, 20))));
    }

    [Fact]
    public void Events_and_snapshots_are_stored_through_our_serializer()
    {
        var replica = Replica();
        for (var b = 0; b < ReplicaEnvironment.SnapshotEvery; b++)
            Send<RecordsStoredAck>(replica, StoreRecords.Local(b, Batch(b * 10, 10)));
        Send<WatermarkAck>(replica, AdvanceWatermark.Local(Watermark.At(1490000001)));

        AwaitAssert(() => Assert.Equal(
            [(7251L, "RC"), (7251L, "RU"), (7251L, "WA")],
            StoredPayloadKinds().Distinct().Order().ToArray()), Timeout);
    }

    public new void Dispose()
    {
        base.Dispose();
        Env.Dispose();
    }
}
