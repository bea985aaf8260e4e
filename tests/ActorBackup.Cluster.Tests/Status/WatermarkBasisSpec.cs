using ActorBackup.Admin.Contract.Status;

namespace ActorBackup.Cluster.Tests.Status;

public sealed class WatermarkBasisSpec
{
    private static readonly DateTimeOffset At = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000);

    [Fact]
    public void A_point_rests_on_reconciliation_only_when_every_shard_carrying_it_was_reconciled_and_then_since_the_oldest()
    {
        var feed = WatermarkBasis.Continuous(At);
        var early = feed.Reconciled(At.AddMinutes(1));
        var late = feed.Reconciled(At.AddMinutes(7));

        var every = WatermarkBasis.Weakest([early, late]);
        var some = WatermarkBasis.Weakest([early, feed, feed]);
        var none = WatermarkBasis.Weakest([feed, feed]);

        Assert.Equal(At.AddMinutes(1), every.ReconciledAt);
        Assert.EndsWith("; every shard reconciled with the source since 2023-11-14T22:14:20Z", every.Text);
        Assert.Null(some.ReconciledAt);
        Assert.EndsWith("; 2 of 3 shards not yet reconciled with the source", some.Text);
        Assert.Null(none.ReconciledAt);
        Assert.Equal("continuous feed since 2023-11-14T22:13:20Z on every shard", none.Text);
        Assert.Equal("continuous feed since 2023-11-14T22:13:20Z; reconciled with the source at 2023-11-14T22:20:20Z", late.Text);
    }

    [Fact]
    public void A_stopped_feed_stays_the_weakest_basis_whatever_reconciliation_says()
    {
        var stopped = WatermarkBasis.Stopped.Reconciled(At);
        var live = WatermarkBasis.Continuous(At).Reconciled(At);

        var point = WatermarkBasis.Weakest([stopped, live]);

        Assert.Equal(WatermarkBasis.FeedStopped, point.Kind);
        Assert.StartsWith("the feed stopped on 1 of 2 shards", point.Text);
        Assert.EndsWith("; every shard reconciled with the source since 2023-11-14T22:13:20Z", point.Text);
    }
}
