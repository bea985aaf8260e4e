using System.Diagnostics;
using ActorBackup.Cli.CommandLine;
using ActorBackup.ReQL.Local;

namespace ActorBackup.Cli.Verbs.Demo;

/// <summary>
/// reqlite (a RethinkDB-compatible server in Node.js, data in memory) from tools/reqlite of the clone: installed
/// with `npm ci` on first use, started on a free loopback port.
/// </summary>
internal sealed class ReqliteLauncher(string toolsDirectory)
{
    private static readonly TimeSpan InstallLimit = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan StartLimit = TimeSpan.FromSeconds(30);

    private string Bin => ReqliteProcess.BinIn(toolsDirectory);

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

    /// <summary>Starts reqlite on a free port and waits until it accepts connections; the demo kills it when it ends.</summary>
    public async Task<ReqliteProcess> StartAsync(ChildProcesses children, CancellationToken ct)
    {
        ReqliteProcess reqlite;
        try
        {
            reqlite = await ReqliteProcess.StartAsync(toolsDirectory, ReqliteProcess.FreePort(), StartLimit, ct);
        }
        catch (ReqliteStartException e)
        {
            throw new CliError(e.Message);
        }
        children.Adopt("reqlite", reqlite.Process);
        return reqlite;
    }

    private static void RequireOnPath(string program)
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        if (path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries).Any(dir => File.Exists(Path.Combine(dir, program))))
            return;
        throw new CliError($"`{program}` is not on PATH: the demo runs reqlite with Node.js; install Node.js 18+ and npm (Debian: apt-get install nodejs npm)");
    }
}
