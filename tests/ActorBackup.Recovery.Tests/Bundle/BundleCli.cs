using ActorBackup.Cli;

namespace ActorBackup.Recovery.Tests.Bundle;

/// <summary>The CLI run in this process, as a user runs it from a shell.</summary>
internal static class BundleCli
{
    public static async Task<(int Code, string Out, string Err)> RunAsync(params string[] args)
    {
        using StringWriter output = new(), error = new();
        return (await Program.RunAsync(args, output, error, CancellationToken.None), output.ToString(), error.ToString());
    }
}
