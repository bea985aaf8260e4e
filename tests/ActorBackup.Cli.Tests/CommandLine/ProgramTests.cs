using ActorBackup.Cli.CommandLine;

namespace ActorBackup.Cli.Tests.CommandLine;

public sealed class ProgramTests
{
    [Fact]
    public async Task An_unknown_verb_is_one_line_with_the_list_of_verbs_and_exit_code_2()
    {
        var (code, _, err) = await CliRun.RunAsync("frobnicate");

        Assert.Equal(ExitCodes.Usage, code);
        Assert.StartsWith("actorbackup: error: unknown verb 'frobnicate' (hint: the verbs are ", err);
        Assert.Single(err.TrimEnd().Split('\n'));
    }

    [Fact]
    public async Task Help_lists_every_verb_and_the_exit_codes()
    {
        var (code, output, _) = await CliRun.RunAsync("--help");

        Assert.Equal(ExitCodes.Ok, code);
        foreach (var verb in Program.Verbs)
            Assert.Contains($"  {verb.Name}", output);
        Assert.Contains("Exit codes: 0 ok, 1 failure, 2 usage or configuration error, 3 verification found a problem", output);
    }

    [Fact]
    public async Task Every_verb_has_help_with_its_options_and_at_least_one_example()
    {
        foreach (var verb in Program.Verbs)
        {
            var (code, output, _) = await CliRun.RunAsync(verb.Name, "--help");

            Assert.Equal(ExitCodes.Ok, code);
            Assert.StartsWith($"actorbackup {verb.Name}: {verb.Summary}", output);
            foreach (var option in verb.Options)
                Assert.Contains($"--{option.Name}", output);
            Assert.NotEmpty(verb.Examples);
            Assert.Contains("Examples:", output);
        }
    }

    [Fact]
    public async Task A_usage_error_in_a_verb_is_one_line_with_a_hint_to_its_help()
    {
        foreach (var verb in Program.Verbs)
        {
            var (code, _, err) = await CliRun.RunAsync(verb.Name, "--no-such-option");

            Assert.Equal(ExitCodes.Usage, code);
            Assert.Equal($"actorbackup {verb.Name}: error: unknown option --no-such-option (hint: see `actorbackup {verb.Name} --help`)", err.TrimEnd());
        }
    }
}
