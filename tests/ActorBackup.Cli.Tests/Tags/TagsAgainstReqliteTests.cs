using ActorBackup.Cli.CommandLine;
using ActorBackup.Cli.Tests.CommandLine;
using ActorBackup.Cli.Tests.Simulate;

namespace ActorBackup.Cli.Tests.Tags;

/// <summary>
/// reqlite has neither RethinkDB's system tables nor reconfigure or wait: every tags command stops at the first of
/// them with one line naming it and exit code 1, and writes nothing it would claim as a result.
/// </summary>
public sealed class TagsAgainstReqliteTests(ReqliteFixture reqlite) : IClassFixture<ReqliteFixture>, IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("actorbackup-tags-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Missing =>
        $"actorbackup tags: error: the source {reqlite.Server.Endpoint} lists no server in rethinkdb.server_config, where a RethinkDB cluster lists "
        + "every connected server: it does not implement RethinkDB's system tables (reqlite does not), which the server-tag layout needs\n";

    [Theory]
    [InlineData("plan")]
    [InlineData("plan --json")]
    [InlineData("apply")]
    [InlineData("check")]
    public async Task Each_command_stops_with_one_line_naming_the_missing_system_tables(string command)
    {
        var (code, output, error) = await CliRun.RunAsync(["tags", .. command.Split(' '), "--source", reqlite.Server.Endpoint]);

        Assert.Equal(ExitCodes.Failure, code);
        Assert.Equal(Missing, error.ReplaceLineEndings("\n"));
        Assert.Empty(output);
    }

    [Fact]
    public async Task A_snapshot_stops_the_same_way_and_writes_no_file()
    {
        var file = Path.Combine(_dir, "tables.json");

        var (code, output, error) = await CliRun.RunAsync("tags", "snapshot", "--source", reqlite.Server.Endpoint, "--out", file);

        Assert.Equal(ExitCodes.Failure, code);
        Assert.Equal(Missing, error.ReplaceLineEndings("\n"));
        Assert.Empty(output);
        Assert.Empty(Directory.GetFiles(_dir));
    }

    [Fact]
    public async Task A_check_against_reqlite_writes_a_failed_check_to_its_Prometheus_file()
    {
        var metrics = Path.Combine(_dir, "tags.prom");

        var (code, _, _) = await CliRun.RunAsync("tags", "check", "--source", reqlite.Server.Endpoint, "--prometheus", metrics);

        Assert.Equal(ExitCodes.Failure, code);
        Assert.Contains("actorbackup_tags_check_success 0\n", await File.ReadAllTextAsync(metrics));
    }
}
