using ActorBackup.Cluster.Capture;
using ActorBackup.Admin.Contract;
using ActorBackup.Admin.Contract.Status;
using ActorBackup.Cluster.Records;
using ActorBackup.Cluster.Status;

namespace ActorBackup.Cluster.Tests.Status;

public sealed class ClusterStatusBuilderSpec
{
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeSeconds(1_700_000_100);
    private static readonly MemberEntry A = new("a", "eu-west", "up", true);
    private static readonly MemberEntry B = new("b", "us-east", "up", true);
    private static readonly MemberEntry C = new("c", "us-east", "up", false);

    private static ReplicaReport Report(MemberEntry node, int shard, long watermark, long records = 10, long quarantined = 0) =>
        new(node.Address, node.Region, "votes", shard, records, quarantined, Watermark.At(watermark), ShardDigest.Empty);

    private static ClusterStatus Build(IReadOnlyList<MemberEntry> members, params ReplicaReport[] reports) =>
        ClusterStatusBuilder.Build("a", members, reports, ["votes"], 2, 2, Now);

    private static ReplicaReport Capturing(MemberEntry node, int shard, long watermark, string phase, long? feedSince) =>
        Report(node, shard, watermark) with { Capture = new ReplicaCapture(phase, 3, 0, 0, null, "10.0.0.1:28015", 10, feedSince) };

    [Fact]
    public void The_restorable_point_rests_on_a_continuous_feed_since_the_latest_feed_start_of_the_replicas_carrying_it()
    {
        var status = Build([A, B],
            Capturing(A, 0, 1_700_000_090, ReplicaPhases.Live, 1_700_000_000), Capturing(B, 0, 1_700_000_050, ReplicaPhases.Live, 1_700_000_040),
            Capturing(A, 1, 1_700_000_060, ReplicaPhases.Live, 1_700_000_010), Capturing(B, 1, 1_700_000_080, ReplicaPhases.Live, 1_700_000_020));

        Assert.Equal(new WatermarkBasis(WatermarkBasis.ContinuousFeed, DateTimeOffset.FromUnixTimeSeconds(1_700_000_020),
            "continuous feed since 2023-11-14T22:13:40Z on every shard"), status.RestorablePointBasis);
        Assert.Equal(WatermarkBasis.Continuous(DateTimeOffset.FromUnixTimeSeconds(1_700_000_040)), status.Shards[0].Replicas[1].Basis);
    }

    [Fact]
    public void A_shard_whose_best_watermark_is_on_a_replica_not_live_makes_the_restorable_point_rest_on_a_stopped_feed()
    {
        var status = Build([A, B],
            Capturing(A, 0, 1_700_000_090, ReplicaPhases.Backoff, null), Capturing(B, 0, 1_700_000_050, ReplicaPhases.Live, 1_700_000_040),
            Capturing(A, 1, 1_700_000_080, ReplicaPhases.Live, 1_700_000_010));

        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1_700_000_080), status.RestorablePoint);
        Assert.Equal(WatermarkBasis.FeedStopped, status.RestorablePointBasis!.Kind);
        Assert.Equal("the feed stopped on 1 of 2 shards: their watermarks stay where their feeds stopped", status.RestorablePointBasis.Text);
        Assert.Equal(WatermarkBasis.Stopped, status.Shards[0].Replicas[0].Basis);
    }

    [Fact]
    public void A_live_replica_whose_watermark_is_held_does_not_rest_on_its_feed_and_says_what_it_waits_for()
    {
        var held = Capturing(A, 0, 1_700_000_090, ReplicaPhases.Live, 1_700_000_000);
        held = held with { Capture = held.Capture! with { WatermarkHeld = CaptureProgress.HeldForReconciliation } };
        var status = Build([A, B], held, Capturing(B, 0, 1_700_000_050, ReplicaPhases.Live, 1_700_000_040),
            Capturing(A, 1, 1_700_000_080, ReplicaPhases.Live, 1_700_000_010), Capturing(B, 1, 1_700_000_080, ReplicaPhases.Live, 1_700_000_020));

        var replica = status.Shards[0].Replicas[0];
        Assert.Equal(CaptureProgress.HeldForReconciliation, replica.WatermarkHeld);
        Assert.Equal(WatermarkBasis.Held(CaptureProgress.HeldForReconciliation), replica.Basis);
        Assert.Equal(WatermarkBasis.FeedStopped, status.RestorablePointBasis!.Kind);
    }

    [Fact]
    public void A_replica_from_a_node_that_does_not_report_its_basis_leaves_the_restorable_point_without_one()
    {
        var status = Build([A, B], Capturing(A, 0, 1_700_000_090, ReplicaPhases.Live, 1_700_000_000), Report(B, 1, 1_700_000_080));

        Assert.NotNull(status.RestorablePoint);
        Assert.Null(status.RestorablePointBasis);
    }

    [Fact]
    public void The_sources_as_the_answering_node_sees_them_are_passed_through()
    {
        SourceEntry[] sources = [new("10.0.0.1:28015", 1, 128, 12.5, 0.3, Now, null, null)];

        var status = ClusterStatusBuilder.Build("a", [A], [Report(A, 0, 1_700_000_050)], ["votes"], 2, 2, Now, sources);

        Assert.Same(sources, status.Sources);
    }

    [Fact]
    public void The_restorable_point_is_the_oldest_of_the_best_watermark_of_each_shard()
    {
        var status = Build([A, B],
            Report(A, 0, 1_700_000_050), Report(B, 0, 1_700_000_090),
            Report(A, 1, 1_700_000_070), Report(B, 1, 1_700_000_060));

        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1_700_000_070), status.RestorablePoint);
        Assert.Equal(30, status.RpoSeconds);
    }

    [Fact]
    public void A_shard_without_any_watermark_leaves_no_restorable_point()
    {
        var status = Build([A, B], Report(A, 0, 1_700_000_050));

        Assert.Null(status.RestorablePoint);
        Assert.Null(status.RpoSeconds);
        Assert.True(status.Shards[1].UnderReplicated);
        Assert.Empty(status.Shards[1].Replicas);
    }

    [Fact]
    public void Each_replica_says_on_how_many_replicas_its_watermark_is_durable()
    {
        var status = Build([A, B], Report(A, 0, 1_700_000_050), Report(B, 0, 1_700_000_090));
        var shard = status.Shards[0];

        Assert.Equal([2, 1], shard.Replicas.Select(r => r.Durable));
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1_700_000_050), shard.DurableOnR);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1_700_000_090), shard.BackedUpTo);
        Assert.False(shard.UnderReplicated);
    }

    [Fact]
    public void Replicas_on_unreachable_nodes_are_listed_but_do_not_count()
    {
        var status = Build([A, C], Report(A, 0, 1_700_000_050), Report(C, 0, 1_700_000_090, quarantined: 4));
        var shard = status.Shards[0];

        Assert.Equal(1, shard.ReplicaCount);
        Assert.True(shard.UnderReplicated);
        Assert.Equal([true, false], shard.Replicas.Select(r => r.Reachable));
        Assert.Equal([1, 0], shard.Replicas.Select(r => r.Durable));
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1_700_000_050), shard.BackedUpTo);
        Assert.Equal(0, status.Quarantined);
    }

    [Fact]
    public void Reports_of_nodes_no_longer_members_are_ignored()
    {
        var status = Build([A], Report(A, 0, 1_700_000_050), Report(B, 0, 1_700_000_090));

        Assert.Equal(["a"], status.Shards[0].Replicas.Select(r => r.Node));
    }

    [Fact]
    public void Quarantined_records_count_each_shard_once()
    {
        var status = Build([A, B], Report(A, 0, 1, quarantined: 3), Report(B, 0, 1, quarantined: 3), Report(A, 1, 1, quarantined: 2));

        Assert.Equal(5, status.Quarantined);
    }

    [Fact]
    public void Shards_carry_their_id_and_key_range()
    {
        var status = Build([A]);

        Assert.Equal(["votes/000", "votes/001"], status.Shards.Select(s => s.Id));
        Assert.Equal("[minval, 80000000)", status.Shards[0].Range);
        Assert.Equal("[80000000, maxval)", status.Shards[1].Range);
    }

    [Fact]
    public void The_json_has_the_documented_field_names_and_reads_back_equal_in_content()
    {
        var status = Build([A, B], Report(A, 0, 1_700_000_050), Report(B, 0, 1_700_000_090));

        var json = StatusJson.Write(status);
        var back = StatusJson.Read(json);

        foreach (var field in new[] { "\"members\"", "\"shards\"", "\"restorablePoint\"", "\"rpoSeconds\"", "\"quarantined\"", "\"replicas\"", "\"watermark\"", "\"durable\"", "\"range\"", "\"region\"" })
            Assert.Contains(field, json);
        Assert.Equal(status.Members, back.Members);
        Assert.Equal(status.Shards[0].Replicas, back.Shards[0].Replicas);
        Assert.Equal(status.RestorablePoint, back.RestorablePoint);
    }
}
