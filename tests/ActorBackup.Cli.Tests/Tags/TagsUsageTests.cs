using ActorBackup.Cli.CommandLine;
using ActorBackup.Cli.Tests.CommandLine;

namespace ActorBackup.Cli.Tests.Tags;

public sealed class TagsUsageTests
{
    [Theory]
    [InlineData("", "say what to do: tags plan, tags apply, tags check or tags snapshot")]
    [InlineData("frob", "unknown tags command 'frob' (the commands are plan, apply, check and snapshot)")]
    [InlineData("plan check --from-file x.json", "tags takes one command, not plan check")]
    [InlineData("plan", "tags plan needs --source HOST:PORT or --from-file FILE")]
    [InlineData("check", "tags check needs --source HOST:PORT or --from-file FILE")]
    [InlineData("apply", "tags apply needs --source HOST:PORT (it reconfigures a live cluster; --from-file only plans and checks)")]
    [InlineData("snapshot --out x.json", "tags snapshot needs --source HOST:PORT")]
    [InlineData("snapshot --source 127.0.0.1:28015", "tags snapshot needs --out FILE")]
    [InlineData("apply --from-file x.json", "--from-file is not an option of tags apply (it is for tags plan, tags check)")]
    [InlineData("plan --source 127.0.0.1:28015 --from-file x.json", "tags plan reads either --source or --from-file, not both")]
    [InlineData("plan --from-file x.json --out y.json", "--out is not an option of tags plan (it is for tags snapshot)")]
    [InlineData("check --from-file x.json --original-replicas 2", "--original-replicas is not an option of tags check (it is for tags plan, tags apply)")]
    [InlineData("plan --from-file x.json --prometheus m.prom", "--prometheus is not an option of tags plan (it is for tags check)")]
    [InlineData("apply --source 127.0.0.1:28015 --json", "--json is not an option of tags apply (it is for tags plan, tags check)")]
    [InlineData("snapshot --source 127.0.0.1:28015 --out x.json --tables votes", "--tables is not an option of tags snapshot (it is for tags plan, tags apply, tags check)")]
    [InlineData("plan --from-file x.json --user bob", "--user and --password are for --source; --from-file reads no server")]
    [InlineData("plan --source rethinkdb", "--source must be HOST:PORT with a port from 1 to 65535 (got 'rethinkdb')")]
    [InlineData("plan --from-file x.json --original-replicas none", "--original-replicas must be keep, minus-one or a number from 1 to 64 (got 'none')")]
    [InlineData("plan --from-file x.json --original-replicas 0", "--original-replicas must be keep, minus-one or a number from 1 to 64 (got '0')")]
    [InlineData("plan --from-file x.json --backup-replicas 0", "--backup-replicas must be an integer from 1 to 64 (got '0')")]
    [InlineData("plan --from-file x.json --original backup", "--original and --backup must be different tags (both are 'backup')")]
    [InlineData("check --from-file x.json --backup off.site", "--backup must be a RethinkDB server tag of letters, digits, _ and - (got 'off.site')")]
    [InlineData("plan --from-file x.json --tables bigchain,,votes", "--tables must be table names of letters, digits, _ and -, repeated or separated by commas (got 'bigchain,,votes')")]
    [InlineData("plan --from-file x.json --db rethinkdb", "--db must be a database name of letters, digits, _ and - other than rethinkdb (got 'rethinkdb')")]
    [InlineData("apply --source 127.0.0.1:28015 --timeout 0", "--timeout must be an integer from 1 to 86400 (got '0')")]
    public async Task A_wrong_command_line_is_one_usage_line_exit_code_2_and_nothing_is_read(string arguments, string message)
    {
        var (code, output, error) = await CliRun.RunAsync(["tags", .. arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries)]);

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Equal($"actorbackup tags: error: {message} (hint: see `actorbackup tags --help`)\n", error.ReplaceLineEndings("\n"));
        Assert.Empty(output);
    }

    [Fact]
    public async Task Help_names_every_command_and_shows_an_example_of_each()
    {
        var (code, output, _) = await CliRun.RunAsync("tags", "--help");

        Assert.Equal(ExitCodes.Ok, code);
        Assert.Contains("tags plan, apply, check or snapshot", output);
        foreach (var command in new[] { "plan", "apply", "check", "snapshot" })
            Assert.Contains($"  actorbackup tags {command} --", output);
    }
}
