using System.Text.Json.Nodes;
using ActorBackup.Cli.CommandLine;
using ActorBackup.Cli.Tests.CommandLine;
using ActorBackup.Tags;
using ActorBackup.Tags.Planning;
using ActorBackup.Testing;

namespace ActorBackup.Cli.Tests.Tags;

/// <summary>`tags plan` and `tags check` offline, on saved system tables of realistic layouts (tests/fixtures/server-tags).</summary>
public sealed class TagsFromFileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("actorbackup-tags-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string[] Lines(string text) => text.ReplaceLineEndings("\n").TrimEnd('\n').Split('\n');

    [Fact]
    public async Task A_plan_on_three_original_and_two_backup_servers_gives_bigchain_and_votes_three_original_replicas_and_one_backup()
    {
        var file = RepoPaths.ServerTagLayout("three-original-two-backup");

        var (code, output, error) = await CliRun.RunAsync("tags", "plan", "--from-file", file);

        Assert.Equal(ExitCodes.Ok, code);
        Assert.Empty(error);
        Assert.Equal(
            [
                $"server-tag layout from {file}",
                "servers: original 3 (rdb_1, rdb_2, rdb_3), backup 2 (backup_1, backup_2)",
                "",
                "bigchain.bigchain: 1 shard",
                "  now:      shard 1: replicas {original: 3, backup: 0} on rdb_1, rdb_2, rdb_3; primary rdb_1 (default, original)",
                "  planned:  replicas {original: 3, backup: 1}, primary_replica_tag: original",
                """  sends:    r.db("bigchain").table("bigchain").reconfigure({shards: 1, replicas: {original: 3, backup: 1}, primary_replica_tag: "original"})""",
                "",
                "bigchain.votes: 2 shards",
                "  now:      shard 1: replicas {original: 3, backup: 0} on rdb_2, rdb_3, rdb_1; primary rdb_2 (default, original)",
                "            shard 2: replicas {original: 3, backup: 0} on rdb_3, rdb_1, rdb_2; primary rdb_3 (default, original)",
                "  planned:  replicas {original: 3, backup: 1}, primary_replica_tag: original",
                """  sends:    r.db("bigchain").table("votes").reconfigure({shards: 2, replicas: {original: 3, backup: 1}, primary_replica_tag: "original"})""",
                "",
                "note: backup_1, backup_2 also have the tag 'default': a reconfigure by a replica count (as bigchaindb set-replicas sends) would put "
                + "replicas and primaries there; remove 'default' from their tags in rethinkdb.server_config",
                "",
                "2 tables to reconfigure, 0 already in the layout: `actorbackup tags apply` with the same options sends the reconfigures above",
            ],
            Lines(output));
    }

    [Fact]
    public async Task The_JSON_plan_holds_the_exact_optargs_of_each_reconfigure_apply_sends()
    {
        var (code, output, _) = await CliRun.RunAsync("tags", "plan", "--from-file", RepoPaths.ServerTagLayout("three-original-two-backup"), "--json");

        Assert.Equal(ExitCodes.Ok, code);
        var plan = JsonNode.Parse(Assert.Single(Lines(output)))!;
        var tables = plan["tables"]!.AsArray();
        Assert.Equal(["bigchain", "votes"], tables.Select(t => t!["table"]!.GetValue<string>()));
        foreach (var (table, shards) in tables.Zip([1, 2]))
        {
            Assert.Equal($$"""{"shards":{{shards}},"replicas":{"original":3,"backup":1},"primary_replica_tag":"original"}""", table!["reconfigure"]!.ToJsonString());
            Assert.Equal("""{"replicas":{"original":3,"backup":1},"primary_replica_tag":"original"}""", table["planned"]!.ToJsonString());
            var sent = JsonNode.Parse(TagQueries.Reconfigure(new TableRef("bigchain", table["table"]!.GetValue<string>()),
                new ReconfigureArgs(shards, TagNames.Default, 3, 1), dryRun: false).ToWireJson())!;
            Assert.True(JsonNode.DeepEquals(sent[2], table["reconfigure"]), sent.ToJsonString());
        }
        Assert.Equal(["rdb_1", "rdb_2", "rdb_3"], plan["servers"]!["original"]!.AsArray().Select(s => s!.GetValue<string>()));
    }

    [Fact]
    public async Task A_JSON_plan_of_a_table_already_in_the_layout_sends_no_reconfigure()
    {
        var (_, output, _) = await CliRun.RunAsync("tags", "plan", "--from-file", RepoPaths.ServerTagLayout("three-original-one-backup-applied"), "--json");

        var tables = JsonNode.Parse(output)!["tables"]!.AsArray();
        Assert.All(tables, t =>
        {
            Assert.True(t!["alreadyApplied"]!.GetValue<bool>());
            Assert.Null(t["reconfigure"]);
        });
    }

    [Theory]
    [InlineData("three-original-no-backup", "", ExitCodes.Usage,
        "no server has the backup tag 'backup' (--backup): start the backup servers with --server-tag backup or add the tag in rethinkdb.server_config; "
        + "the tags in this cluster are: default, original")]
    [InlineData("three-original-two-backup", "--original federation", ExitCodes.Usage,
        "no server has the tag 'federation' (--original); the tags in this cluster are: backup, default, original")]
    [InlineData("three-original-one-backup-applied", "--backup-replicas 2", ExitCodes.Usage,
        "--backup-replicas 2 needs 2 servers tagged 'backup' but only 1 server has that tag (backup_1)")]
    [InlineData("server-with-both-tags", "", ExitCodes.Usage,
        "server rdb_4 has both tags 'original' and 'backup': RethinkDB cannot place replicas by two tags that share a server; "
        + "remove one of them from its tags in rethinkdb.server_config")]
    [InlineData("three-original-two-backup", "--tables bigchain,assets", ExitCodes.Usage,
        "no table bigchain.assets in rethinkdb.table_config (tables of bigchain: backlog, bigchain, votes)")]
    [InlineData("table-mid-backfill", "--backup-replicas 2", ExitCodes.VerificationFailed,
        "not every replica is ready in bigchain.votes (shard 2: backup_2 backfilling): a reconfigure now could leave the table unavailable; "
        + "wait until `tags check` or the web UI shows every replica ready")]
    public async Task A_plan_that_cannot_work_is_refused_in_one_line(string layout, string options, int exitCode, string reason)
    {
        var (code, output, error) = await CliRun.RunAsync(
            ["tags", "plan", "--from-file", RepoPaths.ServerTagLayout(layout), .. options.Split(' ', StringSplitOptions.RemoveEmptyEntries)]);

        Assert.Equal(exitCode, code);
        Assert.Equal($"actorbackup tags: error: {reason}\n", error.ReplaceLineEndings("\n"));
        Assert.Empty(output);
    }

    [Fact]
    public async Task A_check_exits_3_and_names_the_shard_whose_backup_replica_is_not_ready()
    {
        var file = RepoPaths.ServerTagLayout("table-mid-backfill");

        var (code, output, error) = await CliRun.RunAsync("tags", "check", "--from-file", file);

        Assert.Equal(ExitCodes.VerificationFailed, code);
        Assert.Empty(error);
        Assert.Equal(
            [
                $"server-tag check of {file}: every primary on 'original', 1 ready replica per shard on 'backup'",
                "bigchain.bigchain shard 1 of 1: ok (primary rdb_1; ready on 'backup': backup_1)",
                "bigchain.votes shard 1 of 2: ok (primary rdb_2; ready on 'backup': backup_1)",
                "bigchain.votes shard 2 of 2: FAILS: 0 ready replicas on servers tagged 'backup', 1 asked (backup_2 backfilling)",
                "FAILS: 1 of 3 shards fall short",
            ],
            Lines(output));
    }

    [Fact]
    public async Task A_check_of_a_layout_in_place_exits_0()
    {
        var (code, output, _) = await CliRun.RunAsync("tags", "check", "--from-file", RepoPaths.ServerTagLayout("three-original-one-backup-applied"), "--tables", "bigchain,votes,backlog");

        Assert.Equal(ExitCodes.Ok, code);
        Assert.Equal("ok: all 4 shards of bigchain.bigchain, bigchain.votes, bigchain.backlog are as asked", Lines(output)[^1]);
    }

    [Fact]
    public async Task A_check_names_a_table_it_could_not_check_and_a_primary_on_the_wrong_tag()
    {
        var (code, output, _) = await CliRun.RunAsync("tags", "check", "--from-file", RepoPaths.ServerTagLayout("primary-on-backup"), "--tables", "votes,backlog");

        Assert.Equal(ExitCodes.VerificationFailed, code);
        Assert.Equal(
            [
                "bigchain.votes shard 2 of 2: FAILS: primary on backup_1 (default, backup), not on a server tagged 'original'",
                "bigchain.backlog: FAILS: no such table in rethinkdb.table_status",
                "FAILS: 1 of 2 shards fall short, 1 of 2 tables could not be checked",
            ],
            Lines(output)[^3..]);
    }

    [Fact]
    public async Task The_JSON_check_lists_every_shard_with_its_problems()
    {
        var (code, output, _) = await CliRun.RunAsync("tags", "check", "--from-file", RepoPaths.ServerTagLayout("backup-server-down"), "--json");

        Assert.Equal(ExitCodes.VerificationFailed, code);
        var check = JsonNode.Parse(output)!;
        Assert.False(check["ok"]!.GetValue<bool>());
        Assert.Equal(2, check["failing"]!.GetValue<int>());
        var shard = check["tables"]![0]!["shards"]![0]!;
        var expected = JsonNode.Parse(
            """{"shard":1,"ok":false,"primaries":["rdb_1"],"primaryOnOriginal":true,"backupReplicas":[],"readyBackupReplicas":0,"problems":["0 ready replicas on servers tagged 'backup', 1 asked (backup_2 disconnected, tags unknown)"]}""");
        Assert.True(JsonNode.DeepEquals(expected, shard), shard.ToJsonString());
        Assert.Contains("tagged 'backup'", output);
    }

    [Fact]
    public async Task A_check_writes_Prometheus_gauges_for_every_shard()
    {
        var metrics = Path.Combine(_dir, "tags.prom");

        var (code, _, _) = await CliRun.RunAsync("tags", "check", "--from-file", RepoPaths.ServerTagLayout("table-mid-backfill"), "--prometheus", metrics);

        Assert.Equal(ExitCodes.VerificationFailed, code);
        var text = await File.ReadAllTextAsync(metrics);
        Assert.Contains("# TYPE actorbackup_tags_shard_ok gauge\n", text);
        Assert.Contains("actorbackup_tags_check_success 1\n", text);
        Assert.Contains("actorbackup_tags_shards_failing 1\n", text);
        Assert.Contains("actorbackup_tags_backup_replicas_asked 1\n", text);
        Assert.Contains("actorbackup_tags_shard_ok{db=\"bigchain\",table=\"votes\",shard=\"1\"} 1\n", text);
        Assert.Contains("actorbackup_tags_shard_ok{db=\"bigchain\",table=\"votes\",shard=\"2\"} 0\n", text);
        Assert.Contains("actorbackup_tags_shard_ready_backup_replicas{db=\"bigchain\",table=\"votes\",shard=\"2\"} 0\n", text);
        Assert.Contains("actorbackup_tags_shard_primary_on_original{db=\"bigchain\",table=\"bigchain\",shard=\"1\"} 1\n", text);
        Assert.Contains("actorbackup_tags_table_checked{db=\"bigchain\",table=\"votes\"} 1\n", text);
        Assert.Empty(Directory.GetFiles(_dir, "*.tmp"));
    }

    [Fact]
    public async Task A_check_that_cannot_read_its_tables_still_replaces_the_gauges_with_a_failure()
    {
        var metrics = Path.Combine(_dir, "tags.prom");
        await File.WriteAllTextAsync(metrics, "actorbackup_tags_shard_ok{db=\"bigchain\",table=\"votes\",shard=\"1\"} 1\n");
        var missing = Path.Combine(_dir, "missing.json");

        var (code, _, error) = await CliRun.RunAsync("tags", "check", "--from-file", missing, "--prometheus", metrics);

        Assert.Equal(ExitCodes.Failure, code);
        Assert.StartsWith($"actorbackup tags: error: cannot read {missing}: ", error);
        var text = await File.ReadAllTextAsync(metrics);
        Assert.Contains("actorbackup_tags_check_success 0\n", text);
        Assert.DoesNotContain("actorbackup_tags_shard_ok", text);
    }

    [Fact]
    public async Task A_file_that_is_not_saved_system_tables_is_one_line_and_exit_code_1()
    {
        var file = Path.Combine(_dir, "layout.json");
        await File.WriteAllTextAsync(file, """{"server_config": [{"id": "a", "name": "rdb_1", "tags": "original"}], "table_config": [], "table_status": []}""");

        var (code, output, error) = await CliRun.RunAsync("tags", "plan", "--from-file", file);

        Assert.Equal(ExitCodes.Failure, code);
        Assert.Equal($"actorbackup tags: error: {file}: server_config[0].tags must be an array, not a string\n", error.ReplaceLineEndings("\n"));
        Assert.Empty(output);
    }
}
