namespace ActorBackup.Cli.Tests.CommandLine;

/// <summary>Runs the CLI in this process, as a user would from a shell, and keeps what it printed.</summary>
internal static class CliRun
{
    public static async Task<(int Code, string Out, string Err)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await Program.RunAsync(args, output, error, CancellationToken.None);
        return (code, output.ToString(), error.ToString());
    }
}
