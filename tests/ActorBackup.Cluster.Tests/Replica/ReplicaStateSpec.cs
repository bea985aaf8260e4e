using ActorBackup.Admin.Contract;
using ActorBackup.Cluster.Records;
using ActorBackup.Cluster.Replica;
using ActorBackup.Cluster.Replica.Events;
using ActorBackup.Cluster.Sharding;

namespace ActorBackup.Cluster.Tests.Replica;

public sealed class ReplicaStateSpec
{
    private static readonly ReplicaId Shard17 = new("votes", 17);
    private static readonly KeySpace Keys = new(64);

    [Fact]
    public void Storing_a_batch_adds_its_records_to_the_count_digest_and_newest_timestamp()
    {
        var a = Samples.VoteInShard(17, 1, 1490000005);
        var b = Samples.VoteInShard(17, 2, 1490000003);

        var state = ReplicaState.Apply(ReplicaState.Empty(Shard17), new RecordsStored([a, b]));

        Assert.Equal(2, state.StoredCount);
        Assert.Equal(ShardDigest.Empty.Add(RecordDigest.Of(b)).Add(RecordDigest.Of(a)), state.Digest);
        Assert.Equal(1490000005, state.NewestTimestamp);
        Assert.Equal(Watermark.None, state.Watermark);
    }

    [Fact]
    public void Quarantine_counts_apart_and_leaves_the_digest_of_stored_records_alone()
    {
        var forged = new QuarantinedRecord(Samples.VoteInShard(17, 1, 1) with { Verdict = RecordVerdict.Quarantined }, "bad-signature", "signature does not verify");

        var state = ReplicaState.Apply(ReplicaState.Empty(Shard17), new RecordsQuarantined([QuarantineEntry.Of(forged, 1024)]));

        Assert.Equal((0L, 1L, ShardDigest.Empty), (state.StoredCount, state.QuarantinedCount, state.Digest));
    }

    [Fact]
    public void The_watermark_only_moves_forward()
    {
        var state = ReplicaState.Empty(Shard17);

        state = ReplicaState.Apply(state, new WatermarkAdvanced(Watermark.At(20)));
        state = ReplicaState.Apply(state, new WatermarkAdvanced(Watermark.At(10)));

        Assert.Equal(Watermark.At(20), state.Watermark);
    }

    [Fact]
    public void Replaying_the_same_events_from_any_snapshot_gives_the_same_state()
    {
        IReplicaEvent[] events =
        [
            new RecordsStored([Samples.VoteInShard(17, 1, 100), Samples.VoteInShard(17, 2, 101)]),
            new WatermarkAdvanced(Watermark.At(101)),
            new RecordsStored([Samples.VoteInShard(17, 3, 102)]),
        ];

        var full = events.Aggregate(ReplicaState.Empty(Shard17), ReplicaState.Apply);
        var snapshot = events.Take(2).Aggregate(ReplicaState.Empty(Shard17), ReplicaState.Apply);

        Assert.Equal(full, events.Skip(2).Aggregate(snapshot, ReplicaState.Apply));
    }

    [Fact]
    public void A_merged_run_gives_the_state_its_events_give_and_the_rest_of_it_what_the_rest_gives()
    {
        var forged = QuarantineEntry.Of(new QuarantinedRecord(Samples.VoteInShard(17, 9, 103) with { Verdict = RecordVerdict.Quarantined }, "bad-id", "no"), 16);
        IReplicaEvent[] run =
        [
            new RecordsStored([Samples.VoteInShard(17, 1, 100), Samples.VoteInShard(17, 2, 101)]),
            new WatermarkAdvanced(Watermark.At(101)),
            new RecordsQuarantined([forged], 3),
            new RecordsStored([Samples.VoteInShard(17, 3, 102)]),
            new WatermarkAdvanced(Watermark.At(99)),
        ];
        var merged = EventsMerged.Of(5, run);

        Assert.Equal(9, merged.LastSequenceNr);
        Assert.Equal(run.Aggregate(ReplicaState.Empty(Shard17), ReplicaState.Apply), ReplicaState.Apply(ReplicaState.Empty(Shard17), merged));
        for (var through = 4; through <= 9; through++)
        {
            // Events 5 to `through` applied one by one (a recovery that read them before the run was merged), then the rest.
            var applied = run.Take(through - 4).Aggregate(ReplicaState.Empty(Shard17), ReplicaState.Apply);
            Assert.Equal(ReplicaState.Apply(ReplicaState.Empty(Shard17), merged), ReplicaState.Apply(applied, merged.Since(through)));
        }
        // Merged again, in two parts or with the events around it, it is the merge of the whole run.
        Assert.Equal(merged, EventsMerged.Of(5, [EventsMerged.Of(5, run.Take(2)), EventsMerged.Of(7, run.Skip(2))]));
        Assert.Equal(merged, EventsMerged.Of(5, [run[0], EventsMerged.Of(6, run.Skip(1).Take(3)), run[4]]));
    }

    [Fact]
    public void A_batch_keeps_the_first_of_each_id_and_drops_ids_already_stored()
    {
        var a = Samples.VoteInShard(17, 1, 100);
        var b = Samples.VoteInShard(17, 2, 100);
        var c = Samples.VoteInShard(17, 3, 100);

        var (fresh, duplicates) = Admission.NewRecords([a, b, a with { Timestamp = 5 }, c], new HashSet<string> { c.Id });

        Assert.Equal([a, b], fresh);
        Assert.Equal(2, duplicates);
    }

    [Fact]
    public void Two_different_forgeries_under_one_id_are_both_kept_in_quarantine()
    {
        var forged = new QuarantinedRecord(Samples.VoteInShard(17, 1, 100) with { Verdict = RecordVerdict.Quarantined }, "bad-signature", "x");
        var one = QuarantineEntry.Of(forged, 1024);
        var other = QuarantineEntry.Of(forged with { Record = forged.Record with { Json = "{}"u8.ToArray() } }, 1024);

        var (fresh, duplicates) = Admission.NewQuarantined([one, other, one], new HashSet<QuarantineKey>());

        Assert.Equal([one, other], fresh);
        Assert.Equal(1, duplicates);
    }

    [Fact]
    public void A_batch_that_does_not_belong_to_the_replica_is_refused_with_the_reason()
    {
        var vote = Samples.VoteInShard(17, 1, 100);

        Assert.Null(Admission.CheckStore(Shard17, Keys, [vote]));
        Assert.Equal($"record {vote.Id} is from table votes, this replica holds bigchain",
            Admission.CheckStore(new ReplicaId("bigchain", 17), Keys, [vote]));
        Assert.Equal($"record {Samples.VoteInShard(3, 1, 100).Id} belongs to shard 3, this replica holds shard 17",
            Admission.CheckStore(Shard17, Keys, [vote, Samples.VoteInShard(3, 1, 100)]));
        Assert.Equal($"record {vote.Id} has verdict Quarantined, only Verified records are stored (send the others with QuarantineRecords)",
            Admission.CheckStore(Shard17, Keys, [vote with { Verdict = RecordVerdict.Quarantined }]));
        Assert.Equal($"record {vote.Id} has a negative timestamp -1", Admission.CheckStore(Shard17, Keys, [vote with { Timestamp = -1 }]));
        Assert.Equal("a record has an empty id", Admission.CheckStore(new ReplicaId("votes", 0), Keys, [vote with { Id = "" }]));
        Assert.Equal("record id 44\\ud800 is not well-formed Unicode (a lone surrogate): quarantine it instead",
            Admission.CheckStore(Shard17, Keys, [vote with { Id = "44\ud800" }]));
    }

    [Fact]
    public void A_record_with_a_malformed_id_can_still_be_quarantined()
    {
        var odd = new QuarantinedRecord(Samples.VoteInShard(17, 1, 100) with { Id = "44\ud800", Verdict = RecordVerdict.Quarantined }, "bad-id", "id is not hex");

        Assert.Null(Admission.CheckQuarantine(Shard17, Keys, [odd]));
    }
}
