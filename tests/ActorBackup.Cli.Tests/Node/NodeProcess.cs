using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.InteropServices;
using ActorBackup.Testing;

namespace ActorBackup.Cli.Tests.Node;

/// <summary>`actorbackup node` as a real process (the built CLI run by `dotnet`), its output collected line by line.</summary>
public sealed class NodeProcess : IDisposable
{
    private const int SigTerm = 15;

    private readonly Process _process;
    private readonly ConcurrentQueue<string> _lines = new();

    private NodeProcess(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, e) => { if (e.Data is not null) _lines.Enqueue(e.Data); };
        _process.ErrorDataReceived += (_, e) => { if (e.Data is not null) _lines.Enqueue(e.Data); };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public IReadOnlyList<string> Lines => _lines.ToArray();

    public static NodeProcess Start(string configPath)
    {
        var cli = Path.Combine(AppContext.BaseDirectory, "actorbackup.dll");
        var psi = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(configPath)!,
        };
        foreach (var a in new[] { "exec", cli, "node", "--config", configPath }) psi.ArgumentList.Add(a);
        return new NodeProcess(Process.Start(psi) ?? throw new InvalidOperationException("could not start dotnet"));
    }

    /// <summary>The first output line matching, waiting up to <paramref name="timeout"/>; fails with the output so far.</summary>
    public Task<string> WaitForLineAsync(Func<string, bool> match, TimeSpan timeout) => Eventually.Passes(() =>
    {
        var line = _lines.FirstOrDefault(match);
        if (line is not null) return Task.FromResult(line);
        if (_process.HasExited && _lines.FirstOrDefault(match) is null)
            throw new WillNotPassException($"The node exited with code {_process.ExitCode}: {string.Join(" | ", _lines)}");
        throw new InvalidOperationException($"No matching line yet: {string.Join(" | ", _lines)}");
    }, timeout, TimeSpan.FromMilliseconds(50));

    /// <summary>Waits for the exit and returns the exit code.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cts.Token);
        return _process.ExitCode;
    }

    /// <summary>What `docker stop` or systemd sends.</summary>
    public void Terminate()
    {
        if (Kill(_process.Id, SigTerm) != 0)
            throw new InvalidOperationException($"kill -TERM {_process.Id} failed with errno {Marshal.GetLastPInvokeError()}");
    }

    /// <summary>SIGKILL: a crash, as the other nodes see it.</summary>
    public void Crash() => _process.Kill(entireProcessTree: true);

    public void Dispose()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        _process.Dispose();
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
