using System.Diagnostics;
using System.Text.RegularExpressions;
using ActorBackup.Sandbox.Processes;
using ActorBackup.Sandbox.Reqlite;

namespace ActorBackup.Cli.Tests.Demo;

/// <summary>`actorbackup demo` as an operator runs it: the built CLI in its own process, end to end.</summary>
[Collection(ClusterProcesses.Name)]
public sealed partial class DemoProcessTests
{
    [Fact]
    public async Task The_demo_captures_survives_a_killed_node_loses_nothing_and_leaves_no_process_behind()
    {
        await ReqliteTools.EnsureInstalledAsync(ReqliteTools.OfThisProgram());
        var cli = Path.Combine(AppContext.BaseDirectory, "actorbackup.dll");

        var (code, output) = await ProcessRunner.RunAsync("dotnet", ["exec", cli, "demo", "--warmup", "3", "--timeout", "60"],
            AppContext.BaseDirectory, TimeSpan.FromSeconds(150));

        Assert.True(code == 0, $"demo exited with {code}: {output}");
        Assert.Contains("Demo summary (", output);
        Assert.Matches(@"records captured\s+[1-9]", output);
        Assert.Matches(@"replicas\s+R=2: 16 of 16 shards at R", output);
        Assert.Matches(@"records lost\s+0\n", output);
        Assert.Matches(@"time to recover\s+\d+\.\d s", output);
        Assert.Matches(@"restore time\s+\d+\.\d s", output);
        Assert.Matches(@"verification\s+PASSED: [1-9]\d* records as of .* in bigchain_restored_\d+: equal to the backup and the source", output);
        Assert.Matches(@"result\s+PASSED", output);
        var started = StartedPid().Matches(output).Select(m => int.Parse(m.Groups[1].Value)).ToArray();
        var stopped = StoppedPids().Match(output);
        Assert.True(stopped.Success, output);
        var listed = stopped.Groups[1].Value.Split(", ").Select(int.Parse).ToArray();
        Assert.Equal(4, listed.Length);
        Assert.Subset(listed.ToHashSet(), started.ToHashSet());
        Assert.All(listed, pid => Assert.False(Running(pid), $"pid {pid} started by the demo still runs"));
    }

    [Theory]
    [InlineData("--rate 0", "--rate must be a number from 0.1 to 100 (got '0')")]
    [InlineData("--shards 100", "--shards must be an integer from 1 to 64 (got '100')")]
    [InlineData("--warmup soon", "--warmup must be an integer from 0 to 3600 (got 'soon')")]
    public async Task Bad_demo_arguments_are_one_usage_line_and_start_nothing(string args, string message)
    {
        var error = new StringWriter();

        var code = await Program.RunAsync(["demo", .. args.Split(' ')], new StringWriter(), error, CancellationToken.None);

        Assert.Equal(2, code);
        Assert.Single(error.ToString().TrimEnd().Split('\n'));
        Assert.Contains(message, error.ToString());
    }

    private static bool Running(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    [GeneratedRegex(@"pid (\d+)")]
    private static partial Regex StartedPid();

    [GeneratedRegex(@"stopped every process it started \(pids ([\d, ]+)\)")]
    private static partial Regex StoppedPids();
}
