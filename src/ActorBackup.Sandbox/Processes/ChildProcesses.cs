using System.Diagnostics;

namespace ActorBackup.Sandbox.Processes;

/// <summary>Every process something started here, so that each one is killed (by pid) however it ends.</summary>
public sealed class ChildProcesses
{
    private readonly List<ChildProcess> _started = [];

    public IReadOnlyList<ChildProcess> Started
    {
        get { lock (_started) return _started.ToArray(); }
    }

    /// <exception cref="SandboxException">The program could not be started.</exception>
    public ChildProcess Start(string name, ProcessStartInfo start) => Track(ChildProcess.Start(name, start));

    /// <summary>Takes charge of a process started elsewhere.</summary>
    public ChildProcess Track(ChildProcess child)
    {
        lock (_started) _started.Add(child);
        return child;
    }

    /// <summary>Kills whatever still runs; returns what could not be stopped (empty when all are gone).</summary>
    public IReadOnlyList<string> KillAll()
    {
        var left = new List<string>();
        foreach (var child in Started)
        {
            try
            {
                child.Kill();
            }
            catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
            {
                left.Add($"{child.Name} pid {child.Pid}: {e.Message}");
            }
            if (!child.HasExited)
                left.Add($"{child.Name} pid {child.Pid} still runs");
            child.Dispose();
        }
        return left;
    }
}
