using System.Collections.Concurrent;
using System.Diagnostics;

namespace ActorBackup.Cli.Verbs.Demo;

/// <summary>A process the demo started, with the last lines it printed (for error messages and startup lines).</summary>
internal sealed class ChildProcess
{
    private const int KeptLines = 200;
    private readonly ConcurrentQueue<string> _lines = new();

    /// <param name="readOutput">False when something else reads the process's output: its lines are not kept here.</param>
    public ChildProcess(string name, Process process, bool readOutput = true)
    {
        Name = name;
        Process = process;
        Pid = process.Id;
        if (!readOutput)
            return;
        process.OutputDataReceived += (_, e) => Keep(e.Data);
        process.ErrorDataReceived += (_, e) => Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public string Name { get; }

    public Process Process { get; }

    public int Pid { get; }

    public bool HasExited => Process.HasExited;

    /// <summary>The last lines, joined on one line.</summary>
    public string Tail => string.Join(" | ", _lines.TakeLast(10));

    /// <summary>The first line printed that matches, waiting up to <paramref name="timeout"/>; null if the process exited or the time passed.</summary>
    public async Task<string?> WaitForLineAsync(Func<string, bool> match, TimeSpan timeout, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_lines.FirstOrDefault(match) is { } line)
                return line;
            if (Process.HasExited)
                return null;
            await Task.Delay(100, ct);
        }
        return null;
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
