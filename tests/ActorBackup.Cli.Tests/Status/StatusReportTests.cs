using ActorBackup.Admin.Contract.Status;
using ActorBackup.Cli.Verbs.Status;

namespace ActorBackup.Cli.Tests.Status;

public sealed class StatusReportTests
{
    private static readonly DateTimeOffset At = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000);

    [Fact]
    public void Replicas_whose_reconciliation_found_something_are_listed_and_the_restorable_point_says_what_it_rests_on()
    {
        var found = new ShardReplica("node-a", "eu-west", true, 10, 0, At, 2, "00", ReplicaPhases.Live,
            Basis: WatermarkBasis.Continuous(At.AddMinutes(-5)).Reconciled(At.AddMinutes(-1)),
            Reconcile: new ReplicaReconcile(At.AddMinutes(-1), 3, 0, null));
        var failed = found with { Node = "node-b", Reconcile = new ReplicaReconcile(null, 0, 0, "No source could be reached") };
        var quiet = found with { Node = "node-c", Reconcile = new ReplicaReconcile(At.AddMinutes(-1), 0, 0, null) };
        var status = new ClusterStatus("node-a", At, 2, [], [new ShardStatus("votes/000", "votes", 0, "[minval, maxval)", 3, false, At, At, 10, [found, failed, quiet])],
            At, 0, 0, WatermarkBasis.Weakest([found.Basis!, quiet.Basis!]));
        using var w = new StringWriter { NewLine = "\n" };

        StatusReport.Write(w, status);

        var text = w.ToString();
        Assert.Contains("Reconciliation with the source found something (2 replicas):\n", text);
        Assert.Contains("  votes/000 on node-a: 3 records only reconciliation found, 0 held that the source lacks, last reconciled 2023-11-14T22:12:20Z\n", text);
        Assert.Contains("  votes/000 on node-b: 0 records only reconciliation found, 0 held that the source lacks, not reconciled yet, last round failed: No source could be reached\n", text);
        Assert.DoesNotContain("node-c:", text);
        Assert.Contains("  rests on: continuous feed since 2023-11-14T22:08:20Z on every shard; every shard reconciled with the source since 2023-11-14T22:12:20Z\n", text);
        Assert.DoesNotContain("Catch-up read whole key ranges", text);
    }

    [Fact]
    public void Replicas_whose_catch_up_read_whole_key_ranges_are_listed_with_the_reason()
    {
        var indexed = new ShardReplica("node-a", "eu-west", true, 10, 0, At, 2, "00", ReplicaPhases.Live);
        var scanned = indexed with { Node = "node-b", CatchUpFallback = "10.0.0.1:28015 has no block_timestamp index on bigchain.bigchain" };
        var status = new ClusterStatus("node-a", At, 2, [], [new ShardStatus("bigchain/003", "bigchain", 3, "[minval, maxval)", 2, false, At, At, 10, [indexed, scanned])],
            At, 0, 0, null);
        using var w = new StringWriter { NewLine = "\n" };

        StatusReport.Write(w, status);

        var text = w.ToString();
        Assert.Contains("Catch-up read whole key ranges from the source, not its timestamp index (1 replicas):\n", text);
        Assert.Contains("  bigchain/003 on node-b: 10.0.0.1:28015 has no block_timestamp index on bigchain.bigchain\n", text);
        Assert.DoesNotContain("on node-a:", text);
    }

    [Fact]
    public void Replicas_whose_watermark_waits_are_listed_with_what_it_waits_for()
    {
        var moving = new ShardReplica("node-a", "eu-west", true, 10, 0, At, 2, "00", ReplicaPhases.Live);
        var held = moving with { Node = "node-b", WatermarkHeld = "a reconciliation with the source after the catch-up of votes through their blocks" };
        var status = new ClusterStatus("node-a", At, 2, [], [new ShardStatus("votes/003", "votes", 3, "[minval, maxval)", 2, false, At, At, 10, [moving, held])],
            At, 0, 0, null);
        using var w = new StringWriter { NewLine = "\n" };

        StatusReport.Write(w, status);

        var text = w.ToString();
        Assert.Contains("Watermarks waiting before they move (1 replicas):\n", text);
        Assert.Contains("  votes/003 on node-b: waits for a reconciliation with the source after the catch-up of votes through their blocks\n", text);
        Assert.DoesNotContain("on node-a:", text);
    }
}
