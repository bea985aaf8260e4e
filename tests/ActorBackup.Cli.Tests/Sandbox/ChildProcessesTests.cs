using System.Diagnostics;
using ActorBackup.Sandbox;
using ActorBackup.Sandbox.Processes;

namespace ActorBackup.Cli.Tests.Sandbox;

public sealed class ChildProcessesTests
{
    private static ProcessStartInfo Sleep() => new("sleep") { ArgumentList = { "600" } };

    [Fact]
    public void Killing_every_started_process_leaves_none_running_and_nothing_to_report()
    {
        var children = new ChildProcesses();
        var pids = new[] { children.Start("first", Sleep()), children.Start("second", Sleep()) }.Select(c => c.Pid).ToArray();
        Assert.All(pids, pid => Assert.True(ProcessKiller.IsRunning(pid)));

        var left = children.KillAll();

        Assert.Empty(left);
        Assert.All(pids, pid => Assert.False(ProcessKiller.IsRunning(pid), $"pid {pid} still runs"));
    }

    [Fact]
    public void Killing_a_pid_no_process_has_kills_nothing_and_says_so()
    {
        var children = new ChildProcesses();
        var child = children.Start("gone", Sleep());
        child.Kill();

        Assert.False(ProcessKiller.Kill(child.Pid));
        Assert.Empty(children.KillAll());
    }

    [Fact]
    public void A_program_that_does_not_exist_is_one_line_naming_it()
    {
        var e = Assert.Throws<SandboxException>(() => new ChildProcesses().Start("ghost", new ProcessStartInfo("actorbackup-no-such-program")));

        Assert.StartsWith("could not start actorbackup-no-such-program for ghost: ", e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }
}
