using System.Diagnostics;

namespace ActorBackup.Cli.Verbs.Demo;

/// <summary>Every process the demo started, so that each one is killed (by pid) however the demo ends.</summary>
internal sealed class ChildProcesses
{
    private static readonly TimeSpan ExitWait = TimeSpan.FromSeconds(10);
    private readonly List<ChildProcess> _started = [];

    public IReadOnlyList<ChildProcess> Started
    {
        get { lock (_started) return _started.ToArray(); }
    }

    public ChildProcess Start(string name, ProcessStartInfo start)
    {
        start.UseShellExecute = false;
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {start.FileName} for {name}");
        return Track(new ChildProcess(name, process));
    }

    /// <summary>Takes charge of a process started elsewhere that reads the process's output itself.</summary>
    public ChildProcess Adopt(string name, Process process) => Track(new ChildProcess(name, process, readOutput: false));

    private ChildProcess Track(ChildProcess child)
    {
        lock (_started) _started.Add(child);
        return child;
    }

    /// <summary>SIGKILL, as a crash; waits until the process is gone.</summary>
    public static void Kill(ChildProcess child)
    {
        if (child.HasExited) return;
        child.Process.Kill(entireProcessTree: true);
        child.Process.WaitForExit(ExitWait);
    }

    /// <summary>Kills whatever still runs; returns what could not be stopped (empty when all are gone).</summary>
    public IReadOnlyList<string> KillAll()
    {
        var left = new List<string>();
        foreach (var child in Started)
        {
            try
            {
                Kill(child);
            }
            catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
            {
                left.Add($"{child.Name} pid {child.Pid}: {e.Message}");
            }
            if (!child.HasExited)
                left.Add($"{child.Name} pid {child.Pid} still runs");
            child.Process.Dispose();
        }
        return left;
    }
}
