using ActorBackup.Cli.Verbs.Drill;
using ActorBackup.Cluster.Status;

namespace ActorBackup.Cli.Tests.Drill;

public sealed class DrillChecksTests
{
    private static readonly DateTimeOffset T0 = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000);

    private static ShardReplica Replica(string node, long records, long? watermark, bool reachable = true) =>
        new(node, node == "c" ? "us-east" : "eu-west", reachable, records, 0, watermark is { } w ? T0.AddSeconds(w) : null, 1, "");

    private static ClusterStatus Status(IReadOnlyList<MemberEntry> members, params ShardReplica[][] shards) =>
        new("a", T0, 2, members,
            shards.Select((replicas, i) => new ShardStatus($"votes/{i:D3}", "votes", i, "", replicas.Length, replicas.Length < 2, null, null,
                replicas.Select(r => r.Records).DefaultIfEmpty(0).Max(), replicas)).ToArray(),
            null, null, 0);

    private static readonly MemberEntry[] AllUp = [new("a", "eu-west", "up", true, Pid: 1), new("b", "eu-west", "up", true, Pid: 2), new("c", "us-east", "up", true, Pid: 3)];

    [Fact]
    public void Acknowledged_records_are_those_held_by_R_replicas()
    {
        var before = Status(AllUp, [Replica("a", 10, 5), Replica("b", 12, 5)], [Replica("b", 7, 5), Replica("c", 9, 5), Replica("a", 3, 5)]);

        Assert.Equal(10 + 7, AcknowledgedRecords.Of(before).Total);
    }

    [Fact]
    public void Records_only_the_killed_node_held_count_as_lost()
    {
        var acknowledged = AcknowledgedRecords.Of(Status(AllUp, [Replica("a", 10, 5), Replica("b", 10, 5)]));
        var after = Status(AllUp, [Replica("a", 6, 5), Replica("b", 10, 5)]);

        Assert.Equal(4, acknowledged.LostIn(after, new HashSet<string> { "b" }));
        Assert.Equal(0, acknowledged.LostIn(after, new HashSet<string> { "a" }));
    }

    [Fact]
    public void A_shard_is_back_at_R_only_with_R_survivors_caught_up_to_where_R_replicas_stood_at_the_kill()
    {
        var members = AllUp.Select(m => m.Address == "b" ? m with { Reachable = false } : m).ToArray();
        var durable = new Dictionary<string, DateTimeOffset?> { ["votes/000"] = T0.AddSeconds(5) };
        var gone = new HashSet<string> { "b" };

        Assert.False(DrillRunner.BackAtR(Status(members, [Replica("a", 10, 5), Replica("c", 2, 1)]), gone, durable));
        Assert.True(DrillRunner.BackAtR(Status(members, [Replica("a", 10, 5), Replica("c", 10, 6)]), gone, durable));
    }

    [Fact]
    public void A_shard_is_not_back_at_R_while_the_killed_node_still_looks_reachable()
    {
        var durable = new Dictionary<string, DateTimeOffset?>();

        Assert.False(DrillRunner.BackAtR(Status(AllUp, [Replica("a", 10, 5), Replica("c", 10, 6)]), new HashSet<string> { "b" }, durable));
    }

    [Fact]
    public void Capture_has_resumed_once_every_shard_has_a_survivor_past_its_watermark_at_the_kill()
    {
        var atKill = new Dictionary<string, DateTimeOffset?> { ["votes/000"] = T0.AddSeconds(5), ["votes/001"] = T0.AddSeconds(5) };
        var gone = new HashSet<string> { "b" };

        Assert.False(DrillRunner.CaptureResumed(Status(AllUp, [Replica("a", 1, 6)], [Replica("b", 1, 9), Replica("c", 1, 5)]), gone, atKill));
        Assert.True(DrillRunner.CaptureResumed(Status(AllUp, [Replica("a", 1, 6)], [Replica("c", 1, 6)]), gone, atKill));
    }
}
