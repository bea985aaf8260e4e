using System.Text.RegularExpressions;
using ActorBackup.Testing;

namespace ActorBackup.Cli.Tests.Readme;

/// <summary>Issue #6: every command the README shows is checked, so that an edit that breaks one fails the build.</summary>
public sealed partial class ReadmeCommandsTests(ReadmeFixture fixture) : IClassFixture<ReadmeFixture>
{
    [Fact]
    public async Task Every_command_in_the_READMEs_shell_blocks_holds()
    {
        var lines = ShellLine.FromMarkdown(fixture.Readme);
        var failures = new List<string>();
        foreach (var line in lines)
        {
            if (await fixture.Checker.ProblemAsync(line) is { } problem)
                failures.Add($"{line}\n    {problem}");
        }

        Assert.Contains(lines, l => l.Words is ["actorbackup", ..]);
        Assert.True(failures.Count == 0, $"{failures.Count} of the README's {lines.Count} commands do not hold:\n{string.Join("\n", failures)}");
    }

    [Fact]
    public void The_READMEs_first_commands_are_the_demo_and_the_test_entry_point_that_CI_runs()
    {
        var first = ShellLine.FromMarkdown(fixture.Readme).Take(2).Select(l => string.Join(' ', l.Words)).ToList();
        Assert.Equal(["dotnet run --project src/ActorBackup.Cli -- demo", "./test.sh"], first);

        var ci = File.ReadAllLines(Path.Combine(RepoPaths.Root, ".ci", "run"))
            .Select(l => l.Trim())
            .Where(l => l.Length > 0 && !l.StartsWith('#') && !l.StartsWith("set ", StringComparison.Ordinal) && !l.StartsWith("cd ", StringComparison.Ordinal))
            .ToList();
        Assert.Equal(["./test.sh"], ci);
    }

    [Fact]
    public async Task Every_admin_route_the_README_names_is_served_by_a_node()
    {
        var routes = GetRoute().Matches(fixture.Readme).Select(m => m.Groups[1].Value).Distinct().ToList();
        var failures = new List<string>();
        foreach (var route in routes)
        {
            var path = route.Replace("{table}", "votes").Replace("{shard}", "0").Replace("=UNIX", "=1500000000");
            var problem = path.Contains('{') ? $"a placeholder the check cannot fill in {route}" : await fixture.AdminRouteAsync(path);
            if (problem is not null)
                failures.Add($"GET {route}: {problem}");
        }

        Assert.Contains("/status", routes);
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public void The_READMEs_verb_table_lists_exactly_the_verbs_of_the_CLI()
    {
        var start = fixture.Readme.IndexOf("\n## Commands", StringComparison.Ordinal);
        Assert.True(start >= 0, "README.md has no \"## Commands\" section");
        var end = fixture.Readme.IndexOf("\n### ", start, StringComparison.Ordinal);
        var commands = end < 0 ? fixture.Readme[start..] : fixture.Readme[start..end];
        var listed = VerbRow().Matches(commands).Select(m => m.Groups[1].Value).ToList();

        Assert.Equal(Program.Verbs.Select(v => v.Name).Order(), listed.Order());
    }

    [Fact]
    public void Every_example_in_the_verbs_help_parses()
    {
        var failures = new List<string>();
        foreach (var example in Program.Verbs.SelectMany(v => v.Examples))
        {
            var line = Assert.Single(ShellLine.FromMarkdown($"```sh\n{example}\n```"));
            var problem = line.Problem ?? (line.Words is ["actorbackup", .. var args] ? ReadmeCommandChecker.Cli(args) : "does not start with actorbackup");
            if (problem is not null)
                failures.Add($"{example}\n    {problem}");
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Theory]
    [InlineData("rm -rf build", "not a command the README check knows how to verify")]
    [InlineData("actorbackup frobnicate", "unknown verb 'frobnicate'")]
    [InlineData("actorbackup restore --admin http://127.0.0.1:8558 --to 127.0.0.1:28015 --frobnicate", "unknown option --frobnicate")]
    [InlineData("actorbackup restore --admin 127.0.0.1:8558 --to 127.0.0.1:28015", "--admin must be an http:// URL (got '127.0.0.1:8558')")]
    [InlineData("actorbackup restore --from-archive a.tar.gz --to 127.0.0.1:28015 --at noon", "--at must be Unix seconds or an ISO 8601 time")]
    [InlineData("actorbackup simulate --blocks many", "--blocks must be an integer of at least 1 (got 'many')")]
    [InlineData("actorbackup drill --admin http://127.0.0.1:8558 --scenario lose-source", "--scenario lose-source needs --source-pid N")]
    [InlineData("actorbackup status --admin $ADMIN", "shell syntax '$'")]
    [InlineData("actorbackup status | grep shards", "shell syntax '|'")]
    [InlineData("cp hocon/no-such.conf node.conf", "hocon/no-such.conf does not exist in the repository")]
    [InlineData("dotnet run --project src/ActorBackup.Nope -- demo", "no project at src/ActorBackup.Nope")]
    [InlineData("dotnet run --project src/ActorBackup.Cli -- demo --rate 0", "--rate must be a number from 0.1 to 100 (got '0')")]
    [InlineData("dotnet test Nope.sln", "no solution Nope.sln")]
    [InlineData("docker-compose up -d backup-mars", "docker-compose.yml has no service 'backup-mars'")]
    [InlineData("docker-compose exec backup-eu dotnet /app/actorbackup.dll status --frobnicate", "unknown option --frobnicate")]
    [InlineData("docker-compose exec backup-eu bash", "only `dotnet /app/actorbackup.dll ...`")]
    [InlineData("docker-compose rm -f", "docker-compose rm is not checked")]
    [InlineData("docker-compose --profile mars up -d", "docker-compose.yml has no profile 'mars' (it has tags)")]
    [InlineData("actorbackup tags plan --source 127.0.0.1:28015 --out plan.json", "--out is not an option of tags plan")]
    [InlineData("curl -s http://127.0.0.1:8558/no-such-route", "the admin endpoint serves no /no-such-route")]
    [InlineData("curl -X POST http://127.0.0.1:8558/status", "curl option '-X' is not checked")]
    public async Task A_broken_or_unknown_command_fails_the_check_with_the_reason(string command, string reason)
    {
        var line = Assert.Single(ShellLine.FromMarkdown($"Text.\n\n```sh\n{command}\n```\n"));

        var problem = await fixture.Checker.ProblemAsync(line);

        Assert.NotNull(problem);
        Assert.Contains(reason, problem);
        Assert.Equal($"README.md:4: {command}", line.ToString());
    }

    [Theory]
    [InlineData("actorbackup status --admin http://127.0.0.1:8558 --json")]
    [InlineData("curl -fsS http://127.0.0.1:8558/metrics")]
    [InlineData("docker-compose logs -f backup-us")]
    [InlineData("docker-compose --profile tags up -d rethinkdb-backup-1")]
    public async Task A_command_that_holds_passes_the_check(string command)
    {
        var line = Assert.Single(ShellLine.FromMarkdown($"```sh\n{command}\n```"));

        Assert.Null(await fixture.Checker.ProblemAsync(line));
    }

    [Fact]
    public void Continuations_are_joined_comments_dropped_and_other_blocks_ignored()
    {
        const string markdown = """
            ```
            actorbackup this is a diagram, not a command
            ```

            ```sh
            # a whole-line comment
            actorbackup simulate --db 'bigchain_test' \
              --seed 7   # why seven
            ```
            """;

        var line = Assert.Single(ShellLine.FromMarkdown(markdown));

        Assert.Equal(["actorbackup", "simulate", "--db", "bigchain_test", "--seed", "7"], line.Words);
        Assert.Equal(7, line.LineNumber);
        Assert.Null(line.Problem);
    }

    [GeneratedRegex(@"`GET (/[^`\s]*)`")]
    private static partial Regex GetRoute();

    [GeneratedRegex(@"^\| `([a-z-]+)` \|", RegexOptions.Multiline)]
    private static partial Regex VerbRow();
}
