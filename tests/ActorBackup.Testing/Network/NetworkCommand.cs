using ActorBackup.Sandbox.Processes;

namespace ActorBackup.Testing.Network;

/// <summary>Runs `ip` and `iptables` (iproute2, iptables), failing with the command and its output.</summary>
internal static class NetworkCommand
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(20);

    public static async Task RunAsync(string program, params string[] args)
    {
        var (code, output) = await RunForOutputAsync(program, args);
        if (code != 0)
            throw new NetworkSetupException($"`{program} {string.Join(' ', args)}` failed with exit code {code}: {output.Trim()}");
    }

    public static async Task<(int ExitCode, string Output)> RunForOutputAsync(string program, params string[] args)
    {
        try
        {
            return await ProcessRunner.RunAsync(program, args, Path.GetTempPath(), Limit);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new NetworkSetupException(
                $"could not run `{program}` ({e.Message}): network partition tests need root and iproute2 + iptables (apt-get install iproute2 iptables)");
        }
    }

    /// <summary>The same command inside a network namespace.</summary>
    public static Task RunInAsync(string ns, string program, params string[] args) =>
        RunAsync("ip", ["netns", "exec", ns, program, .. args]);
}
