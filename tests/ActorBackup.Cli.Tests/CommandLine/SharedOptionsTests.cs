using ActorBackup.Cli.CommandLine;

namespace ActorBackup.Cli.Tests.CommandLine;

/// <summary>Options several verbs take are declared once (<see cref="SharedOptions"/>) and checked the same way by each.</summary>
public sealed class SharedOptionsTests
{
    private static readonly Dictionary<string, OptionSpec> Shared = new()
    {
        ["admin"] = SharedOptions.Admin(""),
        ["json"] = SharedOptions.Json(""),
        ["timeout"] = SharedOptions.Timeout("", 1, 1, 1),
        ["tables"] = SharedOptions.Tables(""),
        ["at"] = SharedOptions.At(""),
        ["user"] = SharedOptions.User,
        ["password"] = SharedOptions.Password,
        ["overwrite"] = SharedOptions.Overwrite,
        ["force-unsafe-at"] = SharedOptions.ForceUnsafeAt,
        ["token-file"] = SharedOptions.TokenFile,
    };

    [Fact]
    public void Every_verb_declares_a_shared_option_as_SharedOptions_does()
    {
        var seen = 0;
        foreach (var verb in Program.Verbs)
        {
            foreach (var option in verb.Options)
            {
                if (Shared.TryGetValue(option.Name, out var shared))
                {
                    seen++;
                    Assert.True((shared.ValueName, shared.Kind, shared.Repeatable) == (option.ValueName, option.Kind, option.Repeatable),
                        $"{verb.Name} --{option.Name} is declared by hand: {option.ValueName} {option.Kind}, not {shared.ValueName} {shared.Kind}");
                }
                if (option.ValueName == "HOST:PORT")
                    Assert.True(option.Kind == ValueKind.Endpoint, $"{verb.Name} --{option.Name} takes HOST:PORT but is not checked as one");
            }
        }
        Assert.True(seen >= 20, $"only {seen} shared options found across the verbs");
    }

    [Theory]
    [InlineData("export --out x.tar.gz --at noon", "export", "--at must be Unix seconds or an ISO 8601 time such as 2017-07-14T12:00:00Z (got 'noon')")]
    [InlineData("import a.tar.gz --tables bad/name", "import", "--tables must be table names of letters, digits, _ and -, repeated or separated by commas (got 'bad/name')")]
    [InlineData("restore --admin http://127.0.0.1:1 --to h:1 --tables a,b/c", "restore", "--tables must be table names of letters, digits, _ and -, repeated or separated by commas (got 'a,b/c')")]
    [InlineData("status --timeout 0", "status", "--timeout must be an integer from 1 to 3600 (got '0')")]
    [InlineData("demo --timeout 4", "demo", "--timeout must be an integer from 5 to 3600 (got '4')")]
    [InlineData("verify --admin 10.0.0.5:8558", "verify", "--admin must be an http:// URL (got '10.0.0.5:8558')")]
    [InlineData("simulate --source nowhere", "simulate", "--source must be HOST:PORT with a port from 1 to 65535 (got 'nowhere')")]
    [InlineData("dump --source h:1 --out x.tar.gz --tables ''", "dump", "--tables must be table names of letters, digits, _ and -, repeated or separated by commas (got '')")]
    public void A_bad_value_of_a_shared_option_is_one_usage_line_before_anything_runs(string commandLine, string verb, string message)
    {
        var args = commandLine.Split(' ').Select(a => a == "''" ? "" : a).ToArray();
        var error = new StringWriter();

        var code = Program.Check(args, error);

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Equal($"actorbackup {verb}: error: {message} (hint: see `actorbackup {verb} --help`)", error.ToString().TrimEnd());
    }
}
