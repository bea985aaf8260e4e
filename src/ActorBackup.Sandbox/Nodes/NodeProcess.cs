using System.Diagnostics;
using ActorBackup.Sandbox.Processes;

namespace ActorBackup.Sandbox.Nodes;

/// <summary>`actorbackup node` as a process of its own: the built CLI run by `dotnet`, with a node file.</summary>
public static class NodeProcess
{
    /// <summary>How long a node may take to print its startup line: most of a minute on a loaded two-core machine.</summary>
    public static readonly TimeSpan StartLimit = TimeSpan.FromSeconds(60);

    /// <summary>Builds the command that runs <paramref name="program"/> with <paramref name="args"/> in a working directory: plainly, or inside a network namespace.</summary>
    public delegate ProcessStartInfo Launcher(string program, IReadOnlyList<string> args, string workingDirectory);

    /// <summary>The CLI next to the running program (the demo's own, or the one a test project copies beside itself).</summary>
    /// <exception cref="SandboxException">There is none.</exception>
    public static string CliOfThisProgram()
    {
        var cli = Path.Combine(AppContext.BaseDirectory, "actorbackup.dll");
        return File.Exists(cli) ? cli : throw new SandboxException($"{cli} is missing: backup nodes are started from the built CLI next to this program");
    }

    /// <summary>Starts `actorbackup node --config <paramref name="configPath"/>` in <paramref name="workingDirectory"/>.</summary>
    /// <exception cref="SandboxException">dotnet could not be started.</exception>
    public static ChildProcess Start(ChildProcesses children, string name, string cli, string configPath, string workingDirectory, Launcher? launch = null)
    {
        string[] args = ["exec", cli, "node", "--config", configPath];
        var start = launch?.Invoke("dotnet", args, workingDirectory) ?? Plain("dotnet", args, workingDirectory);
        return children.Start($"backup node {name}", start);
    }

    /// <summary>The node's startup line (its address, region, admin URL and journal), once it printed it.</summary>
    /// <exception cref="SandboxException">The node exited first, or printed nothing within <see cref="StartLimit"/>; the message ends with its last lines.</exception>
    public static async Task<string> WaitForStartAsync(ChildProcess node, CancellationToken ct)
    {
        var line = await node.WaitForLineAsync(l => l.StartsWith("actorbackup node: akka.", StringComparison.Ordinal), StartLimit, ct);
        return line ?? throw new SandboxException(node.HasExited
            ? $"{node.Name} exited with code {node.Process.ExitCode}: {node.Tail}"
            : $"{node.Name} did not start within {StartLimit.TotalSeconds:0} s: {node.Tail}");
    }

    private static ProcessStartInfo Plain(string program, IReadOnlyList<string> args, string workingDirectory)
    {
        var start = new ProcessStartInfo(program) { WorkingDirectory = workingDirectory };
        foreach (var a in args) start.ArgumentList.Add(a);
        return start;
    }
}
