using System.Diagnostics;
using ActorBackup.Admin.Contract.Status;
using ActorBackup.Cli.CommandLine;
using ActorBackup.Cli.Tests.CommandLine;
using ActorBackup.Sandbox.Processes;

namespace ActorBackup.Cli.Tests.Drill;

/// <summary>The drill kills a node's pid only once this machine shows it is that node: the pid in /status is a node's word, not proof.</summary>
public sealed class DrillVictimCheckTests
{
    [Fact]
    public async Task A_status_that_names_an_unrelated_process_as_a_node_gets_a_refusal_with_the_reason_and_the_process_lives_on()
    {
        using var unrelated = Process.Start(new ProcessStartInfo("sleep", "300"))!;
        try
        {
            var status = new ClusterStatus("akka.tcp://actorbackup@127.0.0.1:4051", DateTimeOffset.UtcNow, 2,
                [new MemberEntry("akka.tcp://actorbackup@127.0.0.1:4051", "eu-west", "up", true, Pid: Environment.ProcessId),
                 new MemberEntry("akka.tcp://actorbackup@127.0.0.1:4052", "us-east", "up", true, Pid: unrelated.Id)],
                [], null, null, 0);
            await using var node = FixedAnswerEndpoint.Start(200, StatusJson.Write(status));

            var (code, _, error) = await CliRun.RunAsync("drill", "--admin", node.Url, "--scenario", "kill-node", "--scratch", "127.0.0.1:1");

            Assert.Equal(ExitCodes.Failure, code);
            Assert.Equal($"actorbackup drill: error: refusing to kill backup node akka.tcp://actorbackup@127.0.0.1:4052: pid {unrelated.Id} is not an `actorbackup node` process (it runs: sleep 300)",
                error.TrimEnd());
            Assert.True(ProcessKiller.IsRunning(unrelated.Id));
        }
        finally
        {
            unrelated.Kill();
        }
    }
}
