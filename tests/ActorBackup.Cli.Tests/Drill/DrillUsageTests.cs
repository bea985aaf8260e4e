using ActorBackup.Cli.CommandLine;
using ActorBackup.Cli.Tests.CommandLine;
using ActorBackup.Cli.Verbs.Drill;
using ActorBackup.Recovery.Scratch;

namespace ActorBackup.Cli.Tests.Drill;

public sealed class DrillUsageTests
{
    [Theory]
    [InlineData("--scenario kill-node", "--admin URL is required")]
    [InlineData("--admin http://127.0.0.1:1 ", "--scenario NAME is required")]
    [InlineData("--admin ftp://x --scenario kill-node", "--admin must be an http:// URL (got 'ftp://x')")]
    [InlineData("--admin http://127.0.0.1:1 --scenario explode", "--scenario must be one of kill-node, lose-region, lose-source, restore-check (got 'explode')")]
    [InlineData("--admin http://127.0.0.1:1 --scenario lose-source", "--scenario lose-source needs --source-pid N")]
    [InlineData("--admin http://127.0.0.1:1 --scenario kill-node --source-pid 5", "--source-pid only goes with --scenario lose-source")]
    [InlineData("--admin http://127.0.0.1:1 --scenario lose-source --source-pid zero", "--source-pid must be an integer of at least 1 (got 'zero')")]
    [InlineData("--admin http://127.0.0.1:1 --scenario kill-node --timeout 0", "--timeout must be an integer from 1 to 86400 (got '0')")]
    [InlineData("--admin http://127.0.0.1:1 --scenario kill-node", "--scenario kill-node needs --scratch HOST:PORT (the RethinkDB the drill restores the backup into)")]
    [InlineData("--admin http://127.0.0.1:1 --scenario lose-region --json", "--scenario lose-region needs --scratch HOST:PORT")]
    [InlineData("--admin http://127.0.0.1:1 --scenario lose-source --source-pid 7", "--scenario lose-source needs --scratch HOST:PORT")]
    [InlineData("--admin http://127.0.0.1:1 --scenario kill-node --scratch localhost", "--scratch must be HOST:PORT with a port from 1 to 65535 (got 'localhost')")]
    [InlineData("--admin http://127.0.0.1:1 --scenario kill-node --scratch h:1 --scratch-db drill-1", "--scratch-db must be letters, digits and underscores (got 'drill-1')")]
    [InlineData("--admin http://127.0.0.1:1 --scenario restore-check --source h:1 --scratch-db bigchain", "--scratch-db must not be the source database bigchain on the source server")]
    [InlineData("--admin http://127.0.0.1:1 --scenario restore-check --source h:1 --scratch h:1 --db x --scratch-db x", "--scratch-db must not be the source database x on the source server")]
    public async Task Bad_arguments_are_one_usage_line_with_exit_code_2(string args, string message)
    {
        var (code, _, err) = await CliRun.RunAsync(["drill", .. args.Split(' ', StringSplitOptions.RemoveEmptyEntries)]);

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Single(err.TrimEnd().Split('\n'));
        Assert.Contains(message, err);
    }

    [Fact]
    public async Task An_admin_url_where_nothing_listens_is_one_error_line_with_exit_code_1()
    {
        var (code, _, err) = await CliRun.RunAsync("drill", "--admin", "http://127.0.0.1:1", "--scenario", "kill-node", "--scratch", "127.0.0.1:1");

        Assert.Equal(ExitCodes.Failure, code);
        Assert.Single(err.TrimEnd().Split('\n'));
        Assert.StartsWith("actorbackup drill: error: cannot reach http://127.0.0.1:1/status", err);
    }

    [Theory]
    [InlineData("restore-check")]
    [InlineData("kill-node", "--source", "127.0.0.1:28015")]
    public async Task Restore_check_and_only_it_takes_the_source_to_compare_with(params string[] rest)
    {
        var (code, _, err) = await CliRun.RunAsync(["drill", "--admin", "http://127.0.0.1:1", "--scenario", .. rest]);

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Equal("actorbackup drill: error: --scenario restore-check needs --source HOST:PORT, and only it takes one (hint: see `actorbackup drill --help`)", err.TrimEnd());
    }

    [Fact]
    public void The_default_scratch_database_is_a_valid_name_stamped_with_the_utc_time()
    {
        var name = ScratchTarget.DefaultDatabase(new DateTimeOffset(2017, 3, 4, 5, 6, 7, TimeSpan.FromHours(2)));

        Assert.Equal("actorbackup_drill_20170304_030607", name);
        Assert.True(ScratchTarget.IsValidName(name));
    }

    [Fact]
    public async Task Every_help_example_is_valid_usage_and_together_they_show_every_scenario()
    {
        var examples = new DrillVerb().Examples;
        var scenarios = new List<string>();
        foreach (var example in examples)
        {
            var words = example.Split(' ');
            Assert.Equal(["actorbackup", "drill"], words[..2]);
            scenarios.Add(words[Array.IndexOf(words, "--scenario") + 1]);
            // Nothing listens on port 1: each example gets past argument checks and stops at reaching the cluster.
            var args = words[1..].Select(w => w.StartsWith("http://", StringComparison.Ordinal) ? "http://127.0.0.1:1" : w).ToArray();

            var (code, _, err) = await CliRun.RunAsync(args);

            Assert.True(code == ExitCodes.Failure, $"{example}: exit {code}: {err}");
            Assert.Contains("http://127.0.0.1:1", err);
        }
        Assert.Equal(DrillScenarios.Names.Split(", "), scenarios);
    }
}
