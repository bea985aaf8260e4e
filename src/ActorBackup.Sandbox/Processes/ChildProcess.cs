using System.Collections.Concurrent;
using System.ComponentModel;
using System.Diagnostics;

namespace ActorBackup.Sandbox.Processes;

/// <summary>A process started here, with the last lines it printed (standard output and error) for startup lines and error messages.</summary>
public sealed class ChildProcess : IDisposable
{
    private const int KeptLines = 200;
    private readonly ConcurrentQueue<string> _lines = new();
    private bool _disposed;

    private ChildProcess(string name, Process process)
    {
        Name = name;
        Process = process;
        Pid = process.Id;
        process.OutputDataReceived += (_, e) => Keep(e.Data);
        process.ErrorDataReceived += (_, e) => Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public string Name { get; }

    public Process Process { get; }

    public int Pid { get; }

    public bool HasExited => _disposed || Process.HasExited;

    /// <summary>The lines kept so far (the last 200), in order.</summary>
    public IReadOnlyList<string> Lines => _lines.ToArray();

    /// <summary>The last lines, joined on one line.</summary>
    public string Tail => string.Join(" | ", _lines.TakeLast(10));

    /// <summary>Starts <paramref name="start"/> with its output read here.</summary>
    /// <exception cref="SandboxException">The program could not be started.</exception>
    public static ChildProcess Start(string name, ProcessStartInfo start)
    {
        start.UseShellExecute = false;
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        try
        {
            return new ChildProcess(name, Process.Start(start) ?? throw new SandboxException($"could not start {start.FileName} for {name}"));
        }
        catch (Win32Exception e)
        {
            throw new SandboxException($"could not start {start.FileName} for {name}: {e.Message}");
        }
    }

    /// <summary>The first line printed that matches, waiting up to <paramref name="timeout"/>; null if the process exited or the time passed.</summary>
    public async Task<string?> WaitForLineAsync(Func<string, bool> match, TimeSpan timeout, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_lines.FirstOrDefault(match) is { } line)
                return line;
            if (Process.HasExited)
                return _lines.FirstOrDefault(match);
            await Task.Delay(50, ct);
        }
        return null;
    }

    /// <summary>Waits for the process to exit; its exit code.</summary>
    /// <exception cref="TimeoutException">It still runs after <paramref name="timeout"/>.</exception>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var limit = new CancellationTokenSource(timeout);
        try
        {
            await Process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"{Name} (pid {Pid}) still runs after {timeout.TotalSeconds:0} s");
        }
        return Process.ExitCode;
    }

    /// <summary>SIGTERM: what `docker stop` or systemd sends; the process decides how to end.</summary>
    public void Terminate() => ProcessKiller.Terminate(Pid);

    /// <summary>SIGKILL to the process and its children, as a crash; waits a while until they are gone.</summary>
    public void Kill()
    {
        if (!HasExited)
            ProcessKiller.KillAndWait(Process);
    }

    public void Dispose()
    {
        if (_disposed)
            return;
        Kill();
        _disposed = true;
        Process.Dispose();
    }

    private void Keep(string? line)
    {
        if (line is null) return;
        _lines.Enqueue(line);
        while (_lines.Count > KeptLines && _lines.TryDequeue(out _))
        {
        }
    }
}
