using ActorBackup.Cli.CommandLine;
using ActorBackup.Cli.Tests.CommandLine;
using ActorBackup.Testing;

namespace ActorBackup.Cli.Tests.Tags;

/// <summary>`tags apply` against a simulated RethinkDB 2.4 cluster (see <see cref="RethinkDbAdminSimulator"/>).</summary>
public sealed class TagsApplyTests
{
    [Fact]
    public async Task Apply_dry_runs_every_table_first_then_reconfigures_and_waits_for_each_before_the_next()
    {
        await using var cluster = new RethinkDbAdminSimulator(RepoPaths.ServerTagLayout("three-original-two-backup"));

        var (code, output, error) = await CliRun.RunAsync("tags", "apply", "--source", cluster.Endpoint);

        Assert.Equal(ExitCodes.Ok, code);
        Assert.Empty(error);
        Assert.Equal(
            [
                "read server_config", "read table_config", "read table_status",
                "dry run bigchain.bigchain", "dry run bigchain.votes",
                "reconfigure bigchain.bigchain", "wait bigchain.bigchain",
                "reconfigure bigchain.votes", "wait bigchain.votes",
            ],
            cluster.Log);
        var lines = output.ReplaceLineEndings("\n").Split('\n');
        Assert.Equal($"server-tag layout of the source {cluster.Endpoint}: 2 of 2 tables to reconfigure", lines[0]);
        Assert.Contains("bigchain.votes: reconfiguring to replicas {original: 3, backup: 1}, primary_replica_tag: original", lines);
        Assert.Contains("  before: shard 1: primary rdb_2, replicas rdb_2, rdb_3, rdb_1", lines);
        Assert.Contains("          shard 2: primary rdb_3, replicas rdb_3, rdb_1, rdb_2", lines);
        Assert.Contains("  after:  shard 1: primary rdb_2, replicas rdb_2, rdb_3, rdb_1, backup_1", lines);
        Assert.Contains("          shard 2: primary rdb_3, replicas rdb_3, rdb_1, rdb_2, backup_2", lines);
        Assert.Equal("done: reconfigured and ready: bigchain.bigchain, bigchain.votes", lines[^2]);

        var check = await CliRun.RunAsync("tags", "check", "--source", cluster.Endpoint);
        Assert.Equal(ExitCodes.Ok, check.Code);
    }

    [Fact]
    public async Task A_second_apply_leaves_every_table_alone()
    {
        await using var cluster = new RethinkDbAdminSimulator(RepoPaths.ServerTagLayout("three-original-two-backup"));
        Assert.Equal(ExitCodes.Ok, (await CliRun.RunAsync("tags", "apply", "--source", cluster.Endpoint)).Code);
        var applied = cluster.Log.Count;

        var (code, output, _) = await CliRun.RunAsync("tags", "apply", "--source", cluster.Endpoint);

        Assert.Equal(ExitCodes.Ok, code);
        Assert.Equal(["read server_config", "read table_config", "read table_status"], cluster.Log.Skip(applied));
        Assert.Equal(
            $"server-tag layout of the source {cluster.Endpoint}: 0 of 2 tables to reconfigure\n"
            + "bigchain.bigchain: already in the layout, left alone\n"
            + "bigchain.votes: already in the layout, left alone\n"
            + "done: already in the layout, left alone: bigchain.bigchain, bigchain.votes\n",
            output.ReplaceLineEndings("\n"));
    }

    [Fact]
    public async Task An_interrupt_while_waiting_stops_before_the_next_table_says_what_was_done_and_a_rerun_finishes()
    {
        await using var cluster = new RethinkDbAdminSimulator(RepoPaths.ServerTagLayout("three-original-two-backup")) { HoldWaits = new() };
        using var interrupt = new CancellationTokenSource();
        var output = new StringWriter();
        var error = new StringWriter();

        var run = Program.RunAsync(["tags", "apply", "--source", cluster.Endpoint], output, error, interrupt.Token);
        await cluster.UntilAsync(log => log.Contains("wait bigchain.bigchain"));
        await interrupt.CancelAsync();
        var code = await run;

        Assert.Equal(ExitCodes.Interrupted, code);
        Assert.Equal("actorbackup tags: interrupted\n", error.ToString().ReplaceLineEndings("\n"));
        Assert.EndsWith(
            "interrupted: reconfigured, replicas not yet ready (RethinkDB goes on backfilling): bigchain.bigchain; not changed: bigchain.votes; "
            + "rerun the same `tags apply` to finish (tables in the layout are left alone), `tags check` to follow the replicas\n",
            output.ToString().ReplaceLineEndings("\n"));
        Assert.DoesNotContain("backup_", cluster.ConfigOf("votes").ToJsonString());

        cluster.HoldWaits.SetResult();
        var rerun = await CliRun.RunAsync("tags", "apply", "--source", cluster.Endpoint);

        Assert.Equal(ExitCodes.Ok, rerun.Code);
        Assert.Contains("bigchain.bigchain: already in the layout, left alone\n", rerun.Out.ReplaceLineEndings("\n"));
        Assert.EndsWith("done: reconfigured and ready: bigchain.votes; already in the layout, left alone: bigchain.bigchain\n", rerun.Out.ReplaceLineEndings("\n"));
        Assert.Single(cluster.Log, "reconfigure bigchain.bigchain");
    }

    [Fact]
    public async Task A_dry_run_that_differs_from_the_plan_stops_before_any_table_changes()
    {
        await using var cluster = new RethinkDbAdminSimulator(RepoPaths.ServerTagLayout("three-original-two-backup"))
        {
            AlterDryRun = proposal =>
            {
                if (proposal["name"]!.GetValue<string>() == "votes")
                    proposal["shards"]![1]!["primary_replica"] = "backup_2";
            },
        };
        var before = cluster.ConfigOf("votes").ToJsonString();

        var (code, _, error) = await CliRun.RunAsync("tags", "apply", "--source", cluster.Endpoint);

        Assert.Equal(ExitCodes.VerificationFailed, code);
        Assert.Equal(
            "actorbackup tags: error: the dry run of bigchain.votes differs from the plan "
            + "(shard 2: primary backup_2 (default, backup), not on a server tagged 'original'): nothing was changed\n",
            error.ReplaceLineEndings("\n"));
        Assert.DoesNotContain(cluster.Log, e => e.StartsWith("reconfigure", StringComparison.Ordinal));
        Assert.Equal(before, cluster.ConfigOf("votes").ToJsonString());
    }

    [Fact]
    public async Task A_reconfigure_that_did_not_give_the_plan_stops_before_the_next_table_with_exit_code_3()
    {
        await using var cluster = new RethinkDbAdminSimulator(RepoPaths.ServerTagLayout("three-original-two-backup"))
        {
            AlterReconfigure = result =>
            {
                if (result["name"]!.GetValue<string>() == "bigchain")
                    result["shards"]![0]!["replicas"]!.AsArray().Add("backup_2");
            },
        };

        var (code, output, error) = await CliRun.RunAsync("tags", "apply", "--source", cluster.Endpoint);

        Assert.Equal(ExitCodes.VerificationFailed, code);
        Assert.Equal(
            "actorbackup tags: error: bigchain.bigchain was reconfigured, but not as planned "
            + "(shard 1: 2 replicas on servers tagged 'backup', 1 planned); later tables were not touched\n",
            error.ReplaceLineEndings("\n"));
        Assert.Contains("  after:  shard 1: primary rdb_1, replicas rdb_1, rdb_2, rdb_3, backup_1, backup_2\n", output.ReplaceLineEndings("\n"));
        Assert.EndsWith("stopped: reconfigured, replicas not yet ready (RethinkDB goes on backfilling): bigchain.bigchain; not changed: bigchain.votes; "
            + "rerun the same `tags apply` to finish (tables in the layout are left alone), `tags check` to follow the replicas\n", output.ReplaceLineEndings("\n"));
        Assert.DoesNotContain("wait bigchain.bigchain", cluster.Log);
        Assert.DoesNotContain("reconfigure bigchain.votes", cluster.Log);
    }

    [Fact]
    public async Task A_table_not_ready_within_the_timeout_stops_before_the_next_table_with_exit_code_3()
    {
        await using var cluster = new RethinkDbAdminSimulator(RepoPaths.ServerTagLayout("three-original-two-backup")) { BackfillsFinish = false };

        var (code, output, error) = await CliRun.RunAsync("tags", "apply", "--source", cluster.Endpoint, "--timeout", "30");

        Assert.Equal(ExitCodes.VerificationFailed, code);
        Assert.Equal(
            "actorbackup tags: error: bigchain.bigchain did not have every replica ready within 30 s (Timed out while waiting for tables.); "
            + "later tables were not touched: rerun the same `tags apply` once it is ready\n",
            error.ReplaceLineEndings("\n"));
        Assert.EndsWith(
            "stopped: reconfigured, replicas not yet ready (RethinkDB goes on backfilling): bigchain.bigchain; not changed: bigchain.votes; "
            + "rerun the same `tags apply` to finish (tables in the layout are left alone), `tags check` to follow the replicas\n",
            output.ReplaceLineEndings("\n"));
        Assert.DoesNotContain("reconfigure bigchain.votes", cluster.Log);
    }

    [Theory]
    [InlineData("three-original-no-backup", ExitCodes.Usage, "no server has the backup tag 'backup' (--backup)")]
    [InlineData("table-mid-backfill", ExitCodes.VerificationFailed, "not every replica is ready in bigchain.votes (shard 2: backup_2 backfilling)")]
    public async Task A_refused_plan_changes_nothing(string layout, int exitCode, string reason)
    {
        await using var cluster = new RethinkDbAdminSimulator(RepoPaths.ServerTagLayout(layout));

        var (code, output, error) = await CliRun.RunAsync("tags", "apply", "--source", cluster.Endpoint, "--backup-replicas", "2");

        Assert.Equal(exitCode, code);
        Assert.StartsWith($"actorbackup tags: error: {reason}", error);
        Assert.Single(error.ReplaceLineEndings("\n").TrimEnd('\n').Split('\n'));
        Assert.Empty(output);
        Assert.Equal(["read server_config", "read table_config", "read table_status"], cluster.Log);
    }
}
