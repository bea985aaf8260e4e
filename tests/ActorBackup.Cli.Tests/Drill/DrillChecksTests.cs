using ActorBackup.Admin.Contract.Status;
using ActorBackup.Cli.Verbs.Drill;
using ActorBackup.Recovery.Scratch;

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
    public void A_shard_is_back_at_R_only_with_R_survivors_backed_up_past_the_kill()
    {
        var members = AllUp.Select(m => m.Address == "b" ? m with { Reachable = false } : m).ToArray();
        var killedAt = T0.AddSeconds(5.5);
        var gone = new HashSet<string> { "b" };

        Assert.False(DrillRunner.BackAtR(Status(members, [Replica("a", 10, 6), Replica("c", 2, 1)]), gone, killedAt));
        Assert.False(DrillRunner.BackAtR(Status(members, [Replica("a", 10, 6), Replica("c", 10, 5)]), gone, killedAt));
        Assert.True(DrillRunner.BackAtR(Status(members, [Replica("a", 10, 6), Replica("c", 10, 6)]), gone, killedAt));
    }

    [Fact]
    public void A_shard_is_not_back_at_R_while_the_killed_node_still_looks_reachable()
    {
        Assert.False(DrillRunner.BackAtR(Status(AllUp, [Replica("a", 10, 6), Replica("c", 10, 6)]), new HashSet<string> { "b" }, T0.AddSeconds(5)));
    }

    [Fact]
    public void Capture_has_resumed_once_every_shard_has_a_survivor_backed_up_past_the_kill()
    {
        var killedAt = T0.AddSeconds(5.5);
        var gone = new HashSet<string> { "b" };

        Assert.False(DrillRunner.CaptureResumed(Status(AllUp, [Replica("a", 1, 6)], [Replica("b", 1, 9), Replica("c", 1, 5)]), gone, killedAt));
        Assert.True(DrillRunner.CaptureResumed(Status(AllUp, [Replica("a", 1, 6)], [Replica("c", 1, 6)]), gone, killedAt));
    }

    [Fact]
    public void After_a_lost_source_a_watermark_from_a_checkpoint_before_the_kill_is_not_capture_resuming()
    {
        // The status read just before the kill showed 4; the replicas had reached 5 by the kill, which only a status
        // published after it shows. Capture has not resumed until a watermark passes the kill itself.
        var killedAt = T0.AddSeconds(5.5);
        var late = Status(AllUp, [Replica("a", 1, 5), Replica("b", 1, 5)]);

        Assert.False(DrillRunner.CaptureResumed(late, new HashSet<string>(), killedAt));
        Assert.False(DrillRunner.BackAtR(late, new HashSet<string>(), killedAt));
    }

    [Fact]
    public void A_drill_whose_restore_did_not_verify_fails_and_says_so_in_text_and_json()
    {
        var restore = new ScratchRestoreResult("actorbackup_drill_x", "127.0.0.1:28015", 1_700_000_000, 41, "the backup",
            "the restore differs from the backup: votes: 41 documents, expected 42", TimeSpan.FromSeconds(2), Dropped: false);
        var report = new DrillReport("kill-node", [], 42, 0, TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(60)) { Restore = restore };
        var text = new StringWriter();

        report.WriteText(text);

        Assert.False(report.Passed);
        Assert.Equal("the restore into actorbackup_drill_x did not verify: the restore differs from the backup: votes: 41 documents, expected 42", report.Failure);
        var lines = text.ToString().Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains("restore            41 documents as of 2023-11-14T22:13:20Z into actorbackup_drill_x on 127.0.0.1:28015 in 2.0 s", lines);
        Assert.Contains("restore verified   no: the restore differs from the backup: votes: 41 documents, expected 42; scratch database kept", lines);
        using var json = System.Text.Json.JsonDocument.Parse(report.ToJson());
        var r = json.RootElement.GetProperty("restore");
        Assert.False(json.RootElement.GetProperty("passed").GetBoolean());
        Assert.Equal(("actorbackup_drill_x", 41, false, false), (r.GetProperty("database").GetString(), r.GetProperty("documents").GetInt64(),
            r.GetProperty("verified").GetBoolean(), r.GetProperty("dropped").GetBoolean()));
        Assert.Equal(2.0, r.GetProperty("seconds").GetDouble());
    }

    [Fact]
    public void A_drill_passes_only_with_its_restore_verified()
    {
        var restore = new ScratchRestoreResult("d", "h:1", 1_700_000_000, 42, "the backup", null, TimeSpan.FromSeconds(2), Dropped: true);
        var report = new DrillReport("kill-node", [], 42, 0, TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(60)) { Restore = restore };
        var text = new StringWriter();

        report.WriteText(text);

        Assert.True(report.Passed);
        Assert.Contains("  restore verified   yes, counts and digests equal to the backup; scratch database dropped", text.ToString());
    }
}
