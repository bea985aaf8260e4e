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
using Akka.Streams;
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
            // The ten batches before the snapshot are merged into one event (compaction).
            [(7251L, "RM"), (7251L, "RU"), (7251L, "WA")],
            StoredPayloadKinds().Distinct().Order().ToArray()), Timeout);
    }

    /// <summary>A replica following its source: batches of a record or two, quarantined ones and watermark moves between them.</summary>
    private List<CapturedRecord> FollowSmallBatches(IActorRef replica, int batches, int start = 0)
    {
        var stored = new List<CapturedRecord>();
        for (var b = start; b < start + batches; b++)
        {
            var batch = Batch(b * 2, 1 + b % 2, 1490000000 + b * 10);
            Send<RecordsStoredAck>(replica, StoreRecords.Local(b, batch));
            stored.AddRange(batch);
            if (b % 3 == 0) Send<WatermarkAck>(replica, AdvanceWatermark.Local(Watermark.At(1490000000 + b * 10)));
            if (b % 7 == 0)
            {
                var forged = new QuarantinedRecord(Samples.VoteInShard(17, 10_000 + b, 1490000000 + b * 10) with
                    { Json = "{\"forged\":true}"u8.ToArray(), Verdict = RecordVerdict.Quarantined }, "bad-signature", "signature does not verify");
                Send<RecordsQuarantinedAck>(replica, QuarantineRecords.Local(100_000 + b, [forged]));
            }
        }
        return stored;
    }

    private int JournalEvents() => StoredPayloadKinds().Count(k => k.Manifest != "RU");

    private void Stop(IActorRef replica)
    {
        Watch(replica);
        replica.Tell(PoisonPill.Instance);
        ExpectTerminated(replica, Timeout);
    }

    private ReplicaOptions WithoutCompaction => Env.Options with { Compaction = Env.Options.Compaction with { Every = 0 } };

    private (ReplicaStatus Status, List<CapturedRecord> Records, List<QuarantineEntry> Quarantined) Observe(IActorRef replica)
    {
        var status = Send<ReplicaStatus>(replica, GetReplicaStatus.Instance);
        var reader = new ReplicaReader(Sys);
        var records = reader.Stored(Votes17).RunWith(Akka.Streams.Dsl.Sink.Seq<CapturedRecord>(), Sys.Materializer()).Result.ToList();
        var quarantined = reader.Quarantined(Votes17).RunWith(Akka.Streams.Dsl.Sink.Seq<QuarantineEntry>(), Sys.Materializer()).Result.ToList();
        return (status, records, quarantined);
    }

    private List<CapturedRecord> ReadByLocation(IReadOnlyList<(string Id, long SequenceNr)> located) =>
        new ReplicaReader(Sys).StoredBatchesByLocation(Votes17, located, 7, long.MaxValue)
            .RunWith(Akka.Streams.Dsl.Sink.Seq<IReadOnlyList<CapturedRecord>>(), Sys.Materializer()).Result.SelectMany(b => b).ToList();

    [Fact]
    public void Small_events_are_merged_and_replay_gives_the_same_records_counts_digest_and_watermark()
    {
        var replica = Replica();
        var stored = FollowSmallBatches(replica, 40);
        var written = Send<ReplicaStatus>(replica, GetReplicaStatus.Instance);

        // 40 batches, 14 watermark moves and 6 quarantine batches: 60 events, of which every window but the last is merged.
        AwaitAssert(() => Assert.True(JournalEvents() <= 60 / 10 + 10, $"{JournalEvents()} events in the journal"), Timeout);
        Assert.Contains((BackupMessageSerializer.SerializerId, "RM"), StoredPayloadKinds());
        var live = Observe(replica);
        Assert.Equal(stored, live.Records);
        Assert.Equal(6, live.Quarantined.Count);
        Assert.Equal(written with { LastSequenceNr = live.Status.LastSequenceNr }, live.Status);
        Stop(replica);

        var recovered = Replica();
        var after = Observe(recovered);
        Assert.Equal(written, after.Status);
        Assert.Equal(stored, after.Records);
        Assert.Equal(live.Quarantined, after.Quarantined);
        Assert.Equal(written.Digest, DigestOf(stored));
        Assert.Equal(new RecordsStoredAck(999, 0, stored.Count), Send<RecordsStoredAck>(recovered, StoreRecords.Local(999, stored)));

        // Where the index says a record is, an event that may since have been merged: the reader finds it all the same.
        var located = new StoredIdReader(Env.Options.IndexFile, null).Locate(Votes17, stored.Select(r => r.Id));
        Assert.Equal(stored.Count, located.Count);
        var byLocation = ReadByLocation(located);
        Assert.Equal(stored.Select(r => r.Id).Order(), byLocation.Select(r => r.Id).Order());
    }

    [Fact]
    public void A_failure_between_writing_the_merged_event_and_deleting_the_old_ones_leaves_the_journal_as_it_was()
    {
        var replica = Sys.ActorOf(ReplicaActor.Props(Votes17, WithoutCompaction));
        var stored = FollowSmallBatches(replica, 20);
        var before = Observe(replica);
        Stop(replica);
        var kinds = StoredPayloadKinds();
        var persistenceId = AtRest.Get(Sys).PersistenceIdOf(Votes17);
        var compaction = new ActorBackup.Cluster.Journal.JournalCompaction(Sys, Env.Options.Compaction);

        var failure = Assert.Throws<InvalidOperationException>(() =>
            compaction.Compact(persistenceId, 0, before.Status.LastSequenceNr, () => throw new InvalidOperationException("crash")));
        Assert.Equal("crash", failure.Message);
        Assert.Equal(kinds, StoredPayloadKinds());
        var recovered = Sys.ActorOf(ReplicaActor.Props(Votes17, WithoutCompaction));
        Assert.Equal(before, Observe(recovered) is var o ? (o.Status, o.Records, o.Quarantined) : default, ObservedComparer.Instance);
        Stop(recovered);

        // The same compaction completed while no replica runs (a crash right after its commit): one event is left, and
        // replay, the index rebuilt from the journal and the readers all see what was written.
        Assert.Equal(before.Status.LastSequenceNr - 1, compaction.Compact(persistenceId, 0, before.Status.LastSequenceNr).Removed);
        Assert.Equal(1, JournalEvents());
        SqliteConnection.ClearAllPools();
        foreach (var file in Directory.GetFiles(Env.DataDirectory, "index.sqlite*")) File.Delete(file);
        var rebuilt = Replica();
        Assert.Equal(before, Observe(rebuilt) is var r ? (r.Status, r.Records, r.Quarantined) : default, ObservedComparer.Instance);
        Assert.Equal(new RecordsStoredAck(999, 0, stored.Count), Send<RecordsStoredAck>(rebuilt, StoreRecords.Local(999, stored)));
    }

    [Fact]
    public void Events_written_before_a_restart_stay_as_they_are_and_no_merged_run_crosses_a_snapshot()
    {
        var first = Sys.ActorOf(ReplicaActor.Props(Votes17, WithoutCompaction));
        var stored = FollowSmallBatches(first, 12);
        Stop(first);
        var oldEvents = StoredPayloadKinds().Count(k => k.Manifest != "RU");

        var replica = Replica();
        stored.AddRange(FollowSmallBatches(replica, 30, start: 12));
        AwaitAssert(() => Assert.Contains((BackupMessageSerializer.SerializerId, "RM"), StoredPayloadKinds()), Timeout);
        var merged = StoredPayloadKinds().Count(k => k.Manifest == "RM");
        stored.AddRange(FollowSmallBatches(replica, 5, start: 42));
        var status = Send<ReplicaStatus>(replica, GetReplicaStatus.Instance);

        // The events before the restart are still there, one for one (only events written since a start are merged), and
        // every merged event is still there: a snapshot every 10 events ends each segment before a second window opens in it.
        Assert.True(StoredPayloadKinds().Count(k => k.Manifest is "RC" or "RK" or "WA") >= oldEvents);
        Assert.True(StoredPayloadKinds().Count(k => k.Manifest == "RM") >= merged);
        Stop(replica);
        var recovered = Observe(Replica());
        Assert.Equal(status, recovered.Status);
        Assert.Equal(stored, recovered.Records);
    }

    [Fact]
    public void Merged_events_are_merged_again_and_replay_the_index_and_the_readers_see_what_was_written()
    {
        // One segment (no snapshot in it) and a window every 4 events: level-one merging alone would leave a merged event
        // per window, over twenty of them.
        var options = Env.Options with { SnapshotEvery = 1000, Compaction = Env.Options.Compaction with { Every = 4 } };
        var replica = Sys.ActorOf(ReplicaActor.Props(Votes17, options));
        var stored = FollowSmallBatches(replica, 60);
        var written = Send<ReplicaStatus>(replica, GetReplicaStatus.Instance);

        // 60 batches, 20 watermark moves and 9 quarantine batches: 89 events, 22 windows. Merged again, each merged event
        // at least doubles the one it takes in: a few merged events are left, and the events after the last cut.
        AwaitAssert(() => Assert.True(JournalEvents() <= 10, $"{JournalEvents()} events in the journal"), Timeout);
        var live = Observe(replica);
        Assert.Equal(stored, live.Records);
        Assert.Equal(9, live.Quarantined.Count);
        Stop(replica);

        var recovered = Observe(Sys.ActorOf(ReplicaActor.Props(Votes17, options)));
        Assert.Equal(written, recovered.Status);
        Assert.Equal(stored, recovered.Records);
        Assert.Equal(live.Quarantined, recovered.Quarantined);
        var located = new StoredIdReader(Env.Options.IndexFile, null).Locate(Votes17, stored.Select(r => r.Id));
        Assert.Equal(stored.Count, located.Count);
        Assert.Equal(stored.Select(r => r.Id).Order(), ReadByLocation(located).Select(r => r.Id).Order());
    }

    [Fact]
    public async Task A_reader_past_a_merged_event_reads_the_rest_once_when_it_is_merged_again_with_what_follows()
    {
        var replica = Sys.ActorOf(ReplicaActor.Props(Votes17, WithoutCompaction));
        var stored = FollowSmallBatches(replica, 120);
        var last = Send<ReplicaStatus>(replica, GetReplicaStatus.Instance).LastSequenceNr;
        Stop(replica);
        var persistenceId = AtRest.Get(Sys).PersistenceIdOf(Votes17);
        var compaction = new ActorBackup.Cluster.Journal.JournalCompaction(Sys, Env.Options.Compaction);
        Assert.True(compaction.Compact(persistenceId, 0, last / 2).Removed > 0);

        // The reader goes through the merged first half and into the events after it (it reads a page or two ahead of
        // what is pulled, far less than the half left), then they are all merged into one event, its first half again.
        var queue = new ReplicaReader(Sys).Stored(Votes17).RunWith(Akka.Streams.Dsl.Sink.Queue<CapturedRecord>(), Sys.Materializer());
        var read = new List<CapturedRecord>();
        while (read.Count < stored.Count * 6 / 10) read.Add((await queue.PullAsync()).Value);
        Assert.True(compaction.Compact(persistenceId, 0, last).Removed > 0);
        Assert.Equal(1, JournalEvents());
        while (await queue.PullAsync() is { HasValue: true } next) read.Add(next.Value);

        Assert.Equal(stored.Select(r => r.Id), read.Select(r => r.Id));
    }

    /// <summary>
    /// A replica that followed its source for 30 small batches without compaction, stopped: what it stored and showed,
    /// its persistence id and last sequence number, and a compaction of its journal.
    /// </summary>
    private (List<CapturedRecord> Stored, (ReplicaStatus Status, List<CapturedRecord> Records, List<QuarantineEntry> Quarantined) Before,
        string PersistenceId, long Last, ActorBackup.Cluster.Journal.JournalCompaction Compaction) StoppedAfterSmallBatches()
    {
        var replica = Sys.ActorOf(ReplicaActor.Props(Votes17, WithoutCompaction));
        var stored = FollowSmallBatches(replica, 30);
        var before = Observe(replica);
        Stop(replica);
        return (stored, before, AtRest.Get(Sys).PersistenceIdOf(Votes17), before.Status.LastSequenceNr,
            new ActorBackup.Cluster.Journal.JournalCompaction(Sys, Env.Options.Compaction));
    }

    /// <summary>A replica started on the journal shows what it showed <paramref name="before"/>, and takes what it stored as duplicates.</summary>
    private void AssertRecoversAsBefore((ReplicaStatus Status, List<CapturedRecord> Records, List<QuarantineEntry> Quarantined) before, List<CapturedRecord> stored)
    {
        var recovered = Sys.ActorOf(ReplicaActor.Props(Votes17, WithoutCompaction));
        Assert.Equal(before, Observe(recovered) is var r ? (r.Status, r.Records, r.Quarantined) : default, ObservedComparer.Instance);
        Assert.Equal(new RecordsStoredAck(999, 0, stored.Count), Send<RecordsStoredAck>(recovered, StoreRecords.Local(999, stored)));
    }

    [Fact]
    public void A_failure_while_merging_merged_events_again_leaves_the_journal_as_it_was()
    {
        var (stored, before, persistenceId, last, compaction) = StoppedAfterSmallBatches();
        Assert.True(compaction.Compact(persistenceId, 0, last / 2).Removed > 0);
        Assert.True(compaction.Compact(persistenceId, last / 2, last).Removed > 0);
        var kinds = StoredPayloadKinds();
        Assert.Equal(2, JournalEvents());

        Assert.Throws<InvalidOperationException>(() => compaction.Compact(persistenceId, 0, last, () => throw new InvalidOperationException("crash")));
        Assert.Equal(kinds, StoredPayloadKinds());

        // Completed, the two merged events are one, whose replay, index rebuilt from it and readers see what was written.
        Assert.Equal(1, compaction.Compact(persistenceId, 0, last).Removed);
        Assert.Equal(1, JournalEvents());
        SqliteConnection.ClearAllPools();
        foreach (var file in Directory.GetFiles(Env.DataDirectory, "index.sqlite*")) File.Delete(file);
        AssertRecoversAsBefore(before, stored);
    }

    [Fact]
    public void A_window_another_compaction_merged_while_this_one_compressed_is_left_as_the_other_wrote_it()
    {
        var (stored, before, persistenceId, last, compaction) = StoppedAfterSmallBatches();
        var kinds = new List<(long Serializer, string Manifest)>();

        // An earlier incarnation's compaction of the same window commits while this one compresses what it read.
        var result = compaction.Compact(persistenceId, 0, last, beforeWrite: () =>
        {
            Assert.True(compaction.Compact(persistenceId, 0, last).Removed > 0);
            kinds.AddRange(StoredPayloadKinds());
        });

        Assert.Equal(0, result.Removed);
        Assert.Equal(kinds, StoredPayloadKinds());
        AssertRecoversAsBefore(before, stored);
    }

    [Fact]
    public void Catch_up_batches_larger_than_an_eighth_of_a_batch_are_not_rewritten()
    {
        var replica = Replica();
        var large = Env.Settings.Batch.MaxRecords / ActorBackup.Cluster.Journal.JournalCompaction.SmallFraction + 1;
        for (var b = 0; b < 2 * ReplicaEnvironment.SnapshotEvery + 1; b++)
            Send<RecordsStoredAck>(replica, StoreRecords.Local(b, Batch(b * large, large)));
        FollowSmallBatches(replica, 20, start: 1000);

        // The small ones that followed were merged (so compaction ran); the large ones are all still there.
        AwaitAssert(() => Assert.Contains((BackupMessageSerializer.SerializerId, "RM"), StoredPayloadKinds()), Timeout);
        Assert.True(StoredPayloadKinds().Count(k => k.Manifest == "RC") >= 2 * ReplicaEnvironment.SnapshotEvery + 1);
    }

    /// <summary>Compares what <see cref="Observe"/> saw: status, then records and entries in order.</summary>
    private sealed class ObservedComparer : IEqualityComparer<(ReplicaStatus, List<CapturedRecord>, List<QuarantineEntry>)>
    {
        public static ObservedComparer Instance { get; } = new();

        public bool Equals((ReplicaStatus, List<CapturedRecord>, List<QuarantineEntry>) x, (ReplicaStatus, List<CapturedRecord>, List<QuarantineEntry>) y) =>
            x.Item1 == y.Item1 && x.Item2.SequenceEqual(y.Item2) && x.Item3.SequenceEqual(y.Item3);

        public int GetHashCode((ReplicaStatus, List<CapturedRecord>, List<QuarantineEntry>) obj) => obj.Item1.GetHashCode();
    }

    public new void Dispose()
    {
        base.Dispose();
        Env.Dispose();
    }
}
