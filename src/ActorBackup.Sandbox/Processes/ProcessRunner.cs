using System.Diagnostics;

namespace ActorBackup.Sandbox.Processes;

/// <summary>Runs helper programs (npm, node, ip, initdb, pg_ctl) to completion with a time limit.</summary>
public static class ProcessRunner
{
    /// <summary>Runs a program to completion, capturing standard output (and standard error after it).</summary>
    /// <exception cref="TimeoutException">It did not finish within <paramref name="timeout"/> (it is killed).</exception>
    public static async Task<(int ExitCode, string Output)> RunAsync(
        string program, IReadOnlyList<string> args, string workingDirectory, TimeSpan timeout,
        Dictionary<string, string>? env = null, CancellationToken ct = default)
    {
        var psi = new ProcessStartInfo(program)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in args) psi.ArgumentList.Add(a);
        if (env is not null)
            foreach (var (k, v) in env) psi.Environment[k] = v;
        using var process = Process.Start(psi) ?? throw new InvalidOperationException($"could not start {program}");
        var stdout = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        limit.CancelAfter(timeout);
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            ct.ThrowIfCancellationRequested();
            throw new TimeoutException($"{program} {string.Join(' ', args)} did not finish within {timeout.TotalSeconds:0} s");
        }
        var err = await stderr;
        var text = await stdout;
        return (process.ExitCode, err.Length == 0 ? text : text + err);
    }
}
