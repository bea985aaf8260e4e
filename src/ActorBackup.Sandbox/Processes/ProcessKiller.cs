using System.Diagnostics;
using System.Runtime.InteropServices;

namespace ActorBackup.Sandbox.Processes;

/// <summary>Stops processes by process id: the way a crash does (SIGKILL), or the way an operator does (SIGTERM).</summary>
public static class ProcessKiller
{
    private const int SigTerm = 15;
    private static readonly TimeSpan ExitWait = TimeSpan.FromSeconds(10);

    /// <summary>Whether a process with this id runs on this machine.</summary>
    public static bool IsRunning(int pid)
    {
        using var process = Find(pid);
        return process is not null;
    }

    /// <summary>SIGKILL to the process and its children; waits until they are gone. False when no such process runs.</summary>
    /// <exception cref="SandboxException">It still runs 10 s after SIGKILL.</exception>
    public static bool Kill(int pid)
    {
        using var process = Find(pid);
        if (process is null)
            return false;
        if (!KillAndWait(process))
            throw new SandboxException($"pid {pid} did not exit within {ExitWait.TotalSeconds:0} s of SIGKILL");
        return true;
    }

    /// <summary>SIGTERM to the process.</summary>
    /// <exception cref="SandboxException">The signal could not be sent.</exception>
    public static void Terminate(int pid)
    {
        if (SendSignal(pid, SigTerm) != 0)
            throw new SandboxException($"kill -TERM {pid} failed with errno {Marshal.GetLastPInvokeError()}");
    }

    /// <summary>SIGKILL to the process and its children; whether they were gone within 10 s.</summary>
    internal static bool KillAndWait(Process process)
    {
        process.Kill(entireProcessTree: true);
        return process.WaitForExit(ExitWait);
    }

    private static Process? Find(int pid)
    {
        try
        {
            var process = Process.GetProcessById(pid);
            if (!process.HasExited)
                return process;
            process.Dispose();
            return null;
        }
        catch (ArgumentException)
        {
            // GetProcessById's way of saying there is no such process.
            return null;
        }
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int SendSignal(int pid, int signal);
}
