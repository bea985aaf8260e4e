using System.Diagnostics;
using ActorBackup.Cli.CommandLine;

namespace ActorBackup.Cli.Verbs.Drill;

/// <summary>Stops a process the way a crash does (SIGKILL), by process id, and waits until it is gone.</summary>
internal static class ProcessKiller
{
    private static readonly TimeSpan ExitWait = TimeSpan.FromSeconds(10);

    /// <summary>Checks that <paramref name="victim"/> is a running process on this machine.</summary>
    public static void RequireRunning(DrillVictim victim)
    {
        using var process = Find(victim);
        if (process is null)
        {
            throw new CliError($"{victim.What} has pid {victim.Pid}, but no such process runs on this machine",
                hint: "run the drill on the machine of the processes it stops");
        }
    }

    public static void Kill(DrillVictim victim)
    {
        using var process = Find(victim)
            ?? throw new CliError($"{victim.What} (pid {victim.Pid}) is no longer running: nothing to kill");
        process.Kill(entireProcessTree: true);
        if (!process.WaitForExit(ExitWait))
            throw new CliError($"{victim.What} (pid {victim.Pid}) did not exit within {ExitWait.TotalSeconds:0} s of SIGKILL");
    }

    private static Process? Find(DrillVictim victim)
    {
        try
        {
            var process = Process.GetProcessById(victim.Pid);
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
}
