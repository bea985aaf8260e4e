using System.Diagnostics;
using System.Globalization;
using ActorBackup.Cli.CommandLine;

namespace ActorBackup.Cli.Verbs.Demo;

/// <summary>
/// reqlite (a RethinkDB-compatible server in Node.js, data in memory) from tools/reqlite of the clone: installed
/// with `npm ci` on first use, started on a free loopback port.
/// </summary>
internal sealed class ReqliteLauncher(string toolsDirectory)
{
    /// <summary>reqlite takes its port as an offset from RethinkDB's default driver port.</summary>
    private const int DefaultDriverPort = 28015;

    private static readonly TimeSpan InstallLimit = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan StartLimit = TimeSpan.FromSeconds(30);

    private string Bin => Path.Combine(toolsDirectory, "node_modules", "reqlite", "bin", "reqlite");

    /// <summary>Makes sure Node.js is there and the packages are installed; one-line errors otherwise.</summary>
    public async Task EnsureInstalledAsync(TextWriter log, CancellationToken ct)
    {
        RequireOnPath("node");
        if (File.Exists(Bin))
            return;
        RequireOnPath("npm");
        await log.WriteLineAsync($"actorbackup demo: installing reqlite (npm ci in {toolsDirectory})");
        var start = new ProcessStartInfo("npm") { WorkingDirectory = toolsDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "ci", "--no-audit", "--no-fund" }) start.ArgumentList.Add(a);
        using var npm = Process.Start(start) ?? throw new CliError("could not start npm");
        var output = npm.StandardOutput.ReadToEndAsync(ct);
        var errors = npm.StandardError.ReadToEndAsync(ct);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        limit.CancelAfter(InstallLimit);
        try
        {
            await npm.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            npm.Kill(entireProcessTree: true);
            ct.ThrowIfCancellationRequested();
            throw new CliError($"`npm ci` in {toolsDirectory} did not finish within {InstallLimit.TotalMinutes:0} min");
        }
        if (npm.ExitCode != 0 || !File.Exists(Bin))
        {
            var text = ((await errors) + (await output)).Trim().Split('\n').LastOrDefault(l => l.Trim().Length > 0)?.Trim();
            throw new CliError($"`npm ci` in {toolsDirectory} failed (exit {npm.ExitCode}): {text ?? "no output"}");
        }
    }

    /// <summary>Starts reqlite on a free port above 28015 and waits until it accepts connections.</summary>
    public async Task<ReqliteInstance> StartAsync(ChildProcesses children, CancellationToken ct)
    {
        int port;
        do port = LocalPorts.Free(); while (port <= DefaultDriverPort);
        var start = new ProcessStartInfo("node") { WorkingDirectory = toolsDirectory };
        start.ArgumentList.Add(Bin);
        start.ArgumentList.Add("--port-offset");
        start.ArgumentList.Add((port - DefaultDriverPort).ToString(CultureInfo.InvariantCulture));
        var child = children.Start("reqlite", start);
        if (!await LocalPorts.WaitUntilListeningAsync(port, StartLimit, () => child.HasExited, ct))
        {
            throw new CliError(child.HasExited
                ? $"reqlite exited before listening on port {port}: {child.Tail}"
                : $"reqlite did not listen on port {port} within {StartLimit.TotalSeconds:0} s");
        }
        return new ReqliteInstance("127.0.0.1", port, child);
    }

    private static void RequireOnPath(string program)
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        if (path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries).Any(dir => File.Exists(Path.Combine(dir, program))))
            return;
        throw new CliError($"`{program}` is not on PATH: the demo runs reqlite with Node.js; install Node.js 18+ and npm (Debian: apt-get install nodejs npm)");
    }
}
