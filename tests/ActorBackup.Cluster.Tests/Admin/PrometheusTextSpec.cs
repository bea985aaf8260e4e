using ActorBackup.Admin.Contract;
using ActorBackup.Admin.Contract.Status;
using ActorBackup.Cluster.Admin;
using ActorBackup.Cluster.Records;
using ActorBackup.Cluster.Status;

namespace ActorBackup.Cluster.Tests.Admin;

public sealed class PrometheusTextSpec
{
    private static readonly ClusterStatus Status = ClusterStatusBuilder.Build(
        "a",
        [new MemberEntry("a", "eu-west", "up", true), new MemberEntry("b", "us-\"east", "up", false)],
        [
            new ReplicaReport("a", "eu-west", "votes", 0, 12, 1, Watermark.At(1_700_000_040), ShardDigest.Empty),
            new ReplicaReport("b", "us-\"east", "votes", 0, 12, 1, Watermark.At(1_700_000_040), ShardDigest.Empty),
        ],
        ["votes"], 1, 2, DateTimeOffset.FromUnixTimeSeconds(1_700_000_100));

    [Fact]
    public void Every_metric_has_help_and_type_lines_and_the_actorbackup_prefix()
    {
        var lines = PrometheusText.Write(Status).Split('\n', StringSplitOptions.RemoveEmptyEntries);

        var names = lines.Where(l => !l.StartsWith('#')).Select(l => l.Split('{', ' ')[0]).Distinct().ToArray();
        Assert.NotEmpty(names);
        foreach (var name in names)
        {
            Assert.StartsWith("actorbackup_", name);
            Assert.Contains(lines, l => l.StartsWith($"# HELP {name} ", StringComparison.Ordinal));
            Assert.Contains($"# TYPE {name} gauge", lines);
        }
    }

    [Fact]
    public void The_samples_carry_the_status_values()
    {
        var text = PrometheusText.Write(Status);

        Assert.Contains("actorbackup_shard_replicas{table=\"votes\",shard=\"0\"} 1\n", text);
        Assert.Contains("actorbackup_shards_under_replicated{table=\"votes\"} 1\n", text);
        Assert.Contains("actorbackup_replica_records{table=\"votes\",shard=\"0\",node=\"a\",region=\"eu-west\"} 12\n", text);
        Assert.Contains("actorbackup_replica_lag_seconds{table=\"votes\",shard=\"0\",node=\"a\",region=\"eu-west\"} 60\n", text);
        Assert.Contains("actorbackup_rpo_seconds 60\n", text);
        Assert.Contains("actorbackup_quarantined_records 1\n", text);
    }

    [Fact]
    public void Label_values_are_escaped()
    {
        Assert.Contains("region=\"us-\\\"east\"", PrometheusText.Write(Status));
    }
}
