using ActorBackup.Admin.Contract;
using ActorBackup.Admin.Contract.Status;
using ActorBackup.Cluster.Admin;
using ActorBackup.Cluster.Records;
using ActorBackup.Cluster.Status;

namespace ActorBackup.Cluster.Tests.Status;

public sealed class StatusEnrichmentSpec
{
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeSeconds(1_700_000_100);
    private static readonly MemberEntry A = new("a", "eu-west", "up", true);
    private static readonly MemberEntry B = new("b", "us-east", "up", true);

    private static ReplicaReport Report(MemberEntry node, int shard, ReplicaCapture? capture, int? pid) =>
        new(node.Address, node.Region, "votes", shard, 10, 0, Watermark.At(1_700_000_050), ShardDigest.Empty, capture, pid);

    private static readonly ReplicaCapture Failing = new(ReplicaPhases.Backoff, 50, 4, 2, "connection refused", "10.0.0.1:28015", 7);
    private static readonly ReplicaCapture Healthy = new(ReplicaPhases.Live, 1, 0, 0, null, "10.0.0.2:28015", 30);

    private static ClusterStatus Build(params ReplicaReport[] reports) =>
        ClusterStatusBuilder.Build("a", [A, B], reports, ["votes"], 1, 2, Now);

    [Fact]
    public void Each_replica_shows_its_phase_lag_restarts_gaps_last_error_and_source()
    {
        var status = Build(Report(A, 0, Failing, 100), Report(B, 0, Healthy, 200));

        var a = status.Shards[0].Replicas.Single(r => r.Node == "a");
        Assert.Equal(("backoff", 50L, 4L, 2L, "connection refused", "10.0.0.1:28015", 7L),
            (a.Phase, a.LagSeconds, a.Restarts, a.Gaps, a.LastError, a.Source, a.RecordsCaptured));
    }

    [Fact]
    public void A_replica_whose_catch_up_read_its_whole_range_says_why_in_status_and_its_json()
    {
        var fallback = Healthy with { CatchUpFallback = "10.0.0.2:28015 has no block_timestamp index on bigchain.bigchain" };

        var status = Build(Report(A, 0, fallback, 100), Report(B, 0, Healthy, 200));

        var back = StatusJson.Read(StatusJson.Write(status));
        Assert.Equal([fallback.CatchUpFallback, null], back.Shards[0].Replicas.OrderBy(r => r.Node).Select(r => r.CatchUpFallback));
        Assert.Contains("\"catchUpFallback\": \"10.0.0.2:28015 has no block_timestamp index", StatusJson.Write(status));
    }

    [Fact]
    public void Members_carry_the_pid_their_reports_published()
    {
        var status = Build(Report(A, 0, Healthy, 100), Report(B, 0, Healthy, 200));

        Assert.Equal([100, 200], status.Members.Select(m => m.Pid));
    }

    [Fact]
    public void A_member_without_reports_has_no_pid()
    {
        var status = Build(Report(A, 0, null, null));

        Assert.All(status.Members, m => Assert.Null(m.Pid));
        Assert.Null(status.Shards[0].Replicas[0].Phase);
    }

    [Fact]
    public void The_enriched_status_survives_its_json_form()
    {
        var status = Build(Report(A, 0, Failing, 100), Report(B, 0, Healthy, 200));

        var back = StatusJson.Read(StatusJson.Write(status));

        Assert.Equal(status.Members, back.Members);
        Assert.Equal(status.Shards[0].Replicas, back.Shards[0].Replicas);
    }

    [Fact]
    public void Metrics_count_restarts_gaps_source_errors_and_captured_records()
    {
        var text = PrometheusText.Write(Build(Report(A, 0, Failing, 100), Report(B, 0, Healthy, 200)));

        Assert.Contains("actorbackup_replica_restarts_total{table=\"votes\",shard=\"0\",node=\"a\",region=\"eu-west\"} 4\n", text);
        Assert.Contains("actorbackup_replica_gaps_total{table=\"votes\",shard=\"0\",node=\"a\",region=\"eu-west\"} 2\n", text);
        Assert.Contains("actorbackup_replica_backoff{table=\"votes\",shard=\"0\",node=\"a\",region=\"eu-west\"} 1\n", text);
        Assert.Contains("actorbackup_source_errors_total{source=\"10.0.0.1:28015\"} 4\n", text);
        Assert.DoesNotContain("actorbackup_source_errors_total{source=\"10.0.0.2:28015\"}", text);
        Assert.Contains("actorbackup_records_captured_total{region=\"eu-west\"} 7\n", text);
        Assert.Contains("actorbackup_records_captured_total{region=\"us-east\"} 30\n", text);
    }
}
