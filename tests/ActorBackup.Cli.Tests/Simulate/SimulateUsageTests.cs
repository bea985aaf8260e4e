using ActorBackup.Cli.CommandLine;
using ActorBackup.Sandbox;

namespace ActorBackup.Cli.Tests.Simulate;

public sealed class SimulateUsageTests
{
    private static async Task<(int Code, string Out, string Err)> Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = await Program.RunAsync(["simulate", .. args], output, error, CancellationToken.None);
        return (code, output.ToString(), error.ToString());
    }

    [Theory]
    [InlineData("--missing-votes", "1.5", "--missing-votes must be a number from 0 to 1 (got '1.5')")]
    [InlineData("--invalid-votes", "-0.1", "--invalid-votes must be a number from 0 to 1 (got '-0.1')")]
    [InlineData("--forged-signatures", "half", "--forged-signatures must be a number from 0 to 1 (got 'half')")]
    [InlineData("--malformed", "NaN", "--malformed must be a number from 0 to 1 (got 'NaN')")]
    [InlineData("--nodes", "0", "--nodes must be an integer from 1 to 64 (got '0')")]
    [InlineData("--blocks", "0", "--blocks must be an integer of at least 1 (got '0')")]
    [InlineData("--txs-per-block", "1001", "--txs-per-block must be an integer from 1 to 1000 (got '1001')")]
    [InlineData("--rate", "-2", "--rate must be a number of at least 0 (got '-2')")]
    [InlineData("--seed", "abc", "--seed must be an integer (got 'abc')")]
    [InlineData("--source", "localhost", "--source must be HOST:PORT with a port from 1 to 65535 (got 'localhost')")]
    [InlineData("--clock", "sundial", "--clock must be wall or virtual (got 'sundial')")]
    [InlineData("--db", "big-chain", "--db must be a RethinkDB name of letters, digits and underscores (got 'big-chain')")]
    [InlineData("--start-time", "1500000000", "--start-time needs --clock virtual (wall-clock timestamps are the current time)")]
    public async Task A_bad_option_value_is_one_usage_line_and_exit_code_2(string option, string value, string message)
    {
        var (code, output, error) = await Run(option, value);

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Equal($"actorbackup simulate: error: {message} (hint: see `actorbackup simulate --help`)\n", error.ReplaceLineEndings("\n"));
        Assert.Empty(output);
    }

    [Fact]
    public async Task A_start_time_that_is_not_ten_digits_is_refused()
    {
        var (code, _, error) = await Run("--clock", "virtual", "--start-time", "99");

        Assert.Equal(ExitCodes.Usage, code);
        Assert.StartsWith("actorbackup simulate: error: --start-time must be an integer from 1000000000 to 9999999999 (got '99')", error);
    }

    [Fact]
    public async Task An_unreachable_source_is_one_line_and_exit_code_1()
    {
        var port = FreePort.Next();

        var (code, output, error) = await Run("--source", $"127.0.0.1:{port}", "--blocks", "2");

        Assert.Equal(ExitCodes.Failure, code);
        Assert.Equal($"actorbackup simulate: error: Could not connect to 127.0.0.1:{port}: Connection refused\n", error.ReplaceLineEndings("\n"));
        Assert.Empty(output);
    }
}
