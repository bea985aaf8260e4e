using ActorBackup.Admin.Contract;
using ActorBackup.Cluster.Capture;
using ActorBackup.Cluster.Capture.Pipeline;
using ActorBackup.Cluster.Capture.Sources;
using ActorBackup.Cluster.Replica;
using ActorBackup.ReQL.Errors;

namespace ActorBackup.Cluster.Tests.Capture;

public sealed class CaptureProgressSpec
{
    private static readonly TimeSpan Margin = TimeSpan.FromSeconds(30);

    private static BatchPersisted Batch(long? checkpoint, int stored = 1) => new(1, stored, 0, stored, 0, 0, 0, checkpoint);

    [Fact]
    public void A_first_attempt_without_a_watermark_scans_the_whole_range()
    {
        var (next, plan) = CaptureProgress.Initial.Recovered(Watermark.None).StartAttempt(Margin);

        Assert.Equal(new AttemptPlan(1, Watermark.None, 0), plan);
        Assert.Equal(CapturePhase.Connecting, next.Phase);
    }

    [Fact]
    public void An_attempt_scans_from_the_flushed_watermark_minus_the_margin()
    {
        var (_, plan) = CaptureProgress.Initial.Recovered(Watermark.At(1_700_000_000)).StartAttempt(Margin);

        Assert.Equal(Watermark.At(1_699_999_970), plan.ScanFrom);
    }

    [Fact]
    public void A_checkpoint_allows_its_time_minus_the_margin_and_a_batch_without_one_allows_nothing()
    {
        var progress = CaptureProgress.Initial.Recovered(Watermark.None);

        Assert.Equal(Watermark.At(1_699_999_970), progress.WatermarkAllowedBy(Batch(1_700_000_000), Margin));
        Assert.Null(progress.WatermarkAllowedBy(Batch(null), Margin));
    }

    [Fact]
    public void The_watermark_never_moves_back_and_only_the_acknowledged_one_is_reported()
    {
        var progress = CaptureProgress.Initial.Recovered(Watermark.None).WatermarkSent(Watermark.At(1_699_999_970));

        Assert.Null(progress.WatermarkAllowedBy(Batch(1_699_999_990), Margin));
        Assert.True(progress.Status(new ReplicaId("votes", 0), null, DateTimeOffset.FromUnixTimeSeconds(1_700_000_000)).Flushed.IsNone);

        var flushed = progress.WatermarkFlushed(Watermark.At(1_699_999_970));
        var status = flushed.Status(new ReplicaId("votes", 0), null, DateTimeOffset.FromUnixTimeSeconds(1_700_000_000));
        Assert.Equal(Watermark.At(1_699_999_970), status.Flushed);
        Assert.Equal(30, status.LagSeconds);
    }

    [Fact]
    public void A_failed_attempt_moves_to_the_next_source_and_an_overflow_counts_as_a_gap()
    {
        var (progress, _) = CaptureProgress.Initial.StartAttempt(Margin);

        var overflowed = progress.Ended(new AttemptEnded(1, new FeedOverflowException("skipped 3 elements.")), sourceCount: 2);
        var (again, plan) = overflowed.StartAttempt(Margin);
        var refused = again.Ended(new AttemptEnded(2, new ReqlDriverError("connection refused")), sourceCount: 2);

        Assert.Equal((CapturePhase.Backoff, 1L, 1), (overflowed.Phase, overflowed.Gaps, overflowed.NextSource));
        Assert.Equal(1, plan.FirstSource);
        Assert.Equal((1L, 0), (refused.Gaps, refused.NextSource));
        Assert.Equal("ReqlDriverError: connection refused", refused.LastError);
    }

    [Fact]
    public void Notices_of_an_earlier_attempt_change_nothing()
    {
        var (first, _) = CaptureProgress.Initial.StartAttempt(Margin);
        var (second, _) = first.StartAttempt(Margin);

        Assert.Equal(CapturePhase.Connecting, second.Noticed(new AttemptProgress(1, new FeedOpened("a:1"))).Phase);
        Assert.Equal(CapturePhase.CatchingUp, second.Noticed(new AttemptProgress(2, new FeedOpened("b:2"))).Phase);
        Assert.Equal(CapturePhase.Live, second.Noticed(new AttemptProgress(2, ScanCompleted.Instance)).Phase);
        Assert.Equal(CapturePhase.Connecting, second.Ended(new AttemptEnded(1, new ReqlDriverError("late")), 1).Phase);
    }

    [Fact]
    public void A_catch_up_by_range_is_reported_until_a_later_attempt_completes_its_scan_without_one()
    {
        var replica = new ReplicaId("bigchain", 0);
        var (first, _) = CaptureProgress.Initial.StartAttempt(Margin);

        var byRange = first.Noticed(new AttemptProgress(1, new CatchUpByRange("a:1 has no block_timestamp index on bigchain.bigchain")))
            .Noticed(new AttemptProgress(1, ScanCompleted.Instance));
        var (second, _) = byRange.Ended(new AttemptEnded(1, new ReqlDriverError("gone")), 1).StartAttempt(Margin);
        var scanning = second.Noticed(new AttemptProgress(2, new FeedOpened("a:1")));
        var late = scanning.Noticed(new AttemptProgress(1, new CatchUpByRange("late")));
        var byIndex = scanning.Noticed(new AttemptProgress(2, ScanCompleted.Instance));

        Assert.Equal("a:1 has no block_timestamp index on bigchain.bigchain", byRange.Status(replica, null, null).CatchUpFallback);
        Assert.Equal("a:1 has no block_timestamp index on bigchain.bigchain", scanning.Status(replica, null, null).CatchUpFallback);
        Assert.Equal("a:1 has no block_timestamp index on bigchain.bigchain", late.Status(replica, null, null).CatchUpFallback);
        Assert.Null(byIndex.Status(replica, null, null).CatchUpFallback);
    }

    [Fact]
    public void A_checkpoint_after_a_scan_of_votes_through_their_blocks_moves_nothing_until_a_reconciliation_asked_for_after_that_scan()
    {
        var progress = CaptureProgress.Initial.Recovered(Watermark.At(1_699_990_000));

        var held = progress.Persisted(Held(1_700_000_000, attempt: 1));

        Assert.Equal(1, held.WatermarkHeldBy);
        Assert.Equal(CaptureProgress.HeldForReconciliation, held.Status(new ReplicaId("votes", 0), null, null).WatermarkHeld);
        Assert.Null(held.WatermarkAllowedBy(Held(1_700_000_000, attempt: 1), Margin));
        // A reconciliation asked for after an earlier scan cannot vouch for votes cast on old blocks since.
        Assert.Null(held.Reconciled(0).WatermarkAllowedBy(Held(1_700_000_000, attempt: 1), Margin));
        Assert.Equal(1, held.Reconciled(0).WatermarkHeldBy);
        var reconciled = held.Reconciled(1);
        Assert.Null(reconciled.WatermarkHeldBy);
        Assert.Null(reconciled.Status(new ReplicaId("votes", 0), null, null).WatermarkHeld);
        Assert.Equal(Watermark.At(1_699_999_970), reconciled.WatermarkAllowedBy(Held(1_700_000_000, attempt: 1), Margin));
        // The next scan through blocks holds again, whatever was reconciled before it.
        Assert.Null(reconciled.Persisted(Held(1_700_000_100, attempt: 2)).WatermarkAllowedBy(Held(1_700_000_100, attempt: 2), Margin));
    }

    [Fact]
    public void A_checkpoint_of_a_later_scan_that_read_the_key_range_ends_the_hold_and_a_batch_without_a_checkpoint_keeps_it()
    {
        var held = CaptureProgress.Initial.Recovered(Watermark.At(1_699_990_000)).Persisted(Held(1_700_000_000, attempt: 1));

        Assert.Equal(1, held.Persisted(Batch(null)).WatermarkHeldBy);
        Assert.Null(held.Persisted(Batch(1_700_000_010)).WatermarkHeldBy);
        Assert.Equal(Watermark.At(1_699_999_980), held.WatermarkAllowedBy(Batch(1_700_000_010), Margin));
    }

    [Fact]
    public void The_reconciliation_that_ends_a_hold_lists_from_the_scan_point_of_the_attempt_that_set_it_and_else_the_whole_shard()
    {
        var (first, _) = CaptureProgress.Initial.Recovered(Watermark.At(1_699_990_000)).StartAttempt(Margin);
        var throughBlocks = first.Noticed(new AttemptProgress(1, ScanCompleted.ThroughBlocks));

        Assert.Equal(Watermark.At(1_699_989_970), throughBlocks.HoldListsFrom(1));
        // A point this progress did not see scanned through blocks lists everything rather than guess.
        Assert.Equal(Watermark.None, throughBlocks.HoldListsFrom(2));
        Assert.Equal(Watermark.None, first.Noticed(new AttemptProgress(1, ScanCompleted.Instance)).HoldListsFrom(1));
        // A later attempt's scan by key range leaves the point of the scan that set the hold.
        var (second, _) = throughBlocks.Ended(new AttemptEnded(1, null), 1).StartAttempt(Margin);
        Assert.Equal(Watermark.At(1_699_989_970), second.Noticed(new AttemptProgress(2, ScanCompleted.Instance)).HoldListsFrom(1));
    }

    private static BatchPersisted Held(long checkpoint, long attempt) => Batch(checkpoint) with { CheckpointAwaitsReconciliationOf = attempt };
}
