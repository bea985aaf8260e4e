using ActorBackup.Cli.CommandLine;

namespace ActorBackup.Cli.Tests.CommandLine;

/// <summary>`Program.Check`: the command line parsed and checked as a run would, and nothing run.</summary>
public sealed class ProgramCheckTests
{
    [Fact]
    public void A_command_line_that_would_run_checks_ok_without_running_or_printing()
    {
        var error = new StringWriter();

        // A dump against a port nobody listens on: running it would fail to connect, checking it does not connect.
        var code = Program.Check(["dump", "--source", "127.0.0.1:1", "--out", "never-written.tar.gz"], error);

        Assert.Equal(ExitCodes.Ok, code);
        Assert.Empty(error.ToString());
        Assert.False(File.Exists("never-written.tar.gz"));
    }

    [Theory]
    [InlineData("status", "--admin", "localhost:8558")]
    [InlineData("dump", "--source", "nowhere", "--out", "x.tar.gz")]
    [InlineData("restore", "--to", "127.0.0.1:28015")]
    [InlineData("frobnicate")]
    public async Task A_refused_command_line_gets_the_same_line_and_exit_code_as_running_it(params string[] args)
    {
        var checkError = new StringWriter();
        var runError = new StringWriter();

        var checkCode = Program.Check(args, checkError);
        var runCode = await Program.RunAsync(args, new StringWriter(), runError, CancellationToken.None);

        Assert.Equal(ExitCodes.Usage, checkCode);
        Assert.Equal(runCode, checkCode);
        Assert.Equal(runError.ToString(), checkError.ToString());
        Assert.Single(checkError.ToString().TrimEnd().Split('\n'));
    }
}
