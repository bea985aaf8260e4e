using System.Text.Json;
using ActorBackup.Cli.Tests.CommandLine;
using ActorBackup.Sandbox;

namespace ActorBackup.Cli.Tests.Drill;

/// <summary>
/// `actorbackup drill --scenario lose-source` against three node processes configured with two sources, both
/// written by the federation: the drill kills the source every node reads, and capture must go on from the other.
/// </summary>
[Collection(ClusterProcesses.Name)]
public sealed class LoseSourceDrillTests : IAsyncLifetime
{
    private readonly DrillTestbed _testbed = new();

    public Task InitializeAsync() => _testbed.StartAsync(LocalCluster.DemoLayout, sources: 2, shards: 4, replicas: 2);

    public Task DisposeAsync() => _testbed.DisposeAsync().AsTask();

    [Fact]
    public async Task Losing_the_source_being_read_fails_capture_over_to_the_other_loses_no_acknowledged_record_and_the_backup_restores_verified()
    {
        var (first, second) = (_testbed.Cluster.Sources[0], _testbed.Cluster.Sources[1]);
        var before = await _testbed.WaitForAsync($"every replica reading {first.Endpoint}",
            s => s.Shards.All(shard => shard.Replicas.All(r => r.Source == first.Endpoint)));
        var pid = first.ProcessId ?? throw new InvalidOperationException("the first source is not running");

        var (code, output, error) = await CliRun.RunAsync(
            "drill", "--admin", _testbed.Admin, "--scenario", "lose-source", "--source-pid", pid.ToString(), "--timeout", "60", "--scratch", second.Endpoint);

        Assert.True(code == 0, $"drill exited with {code}: {output}{error}");
        var lines = output.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains($"Drill lose-source against {before.Node}:", lines);
        Assert.Contains($"killed             source, pid {pid}", lines);
        Assert.Contains("records lost       0", lines);
        Assert.Single(lines, l => l.StartsWith("capture resumed    ", StringComparison.Ordinal) && l.EndsWith(" s after the kill", StringComparison.Ordinal));
        Assert.Single(lines, l => l.StartsWith("back to R          ", StringComparison.Ordinal) && l.EndsWith(" s after the kill", StringComparison.Ordinal));
        Assert.Single(lines, l => l.StartsWith("restore            ", StringComparison.Ordinal) && l.Contains($" into actorbackup_drill_", StringComparison.Ordinal)
                                  && l.Contains($" on {second.Endpoint} in ", StringComparison.Ordinal));
        Assert.Contains("restore verified   yes, counts and digests equal to the backup; scratch database dropped", lines);
        Assert.Contains("result             PASSED", lines);
        Assert.Null(first.ProcessId);
        Assert.Null(_testbed.Cluster.Feed.Failure);
        Assert.Single(_testbed.Cluster.Feed.Lost, l => l.StartsWith(first.Endpoint + ":", StringComparison.Ordinal));

        var after = await _testbed.WaitForAsync("the status after the drill", _ => true);
        Assert.All(after.Shards, s => Assert.Equal(2, s.Replicas.Count(r => r.Reachable && r.Source == second.Endpoint && r.Watermark > before.At)));

        var (checkCode, check, checkError) = await CliRun.RunAsync(
            "drill", "--admin", _testbed.Admin, "--scenario", "restore-check", "--source", second.Endpoint, "--json");

        Assert.True(checkCode == 0, $"restore-check exited with {checkCode}: {check}{checkError}");
        using var checkReport = JsonDocument.Parse(check);
        Assert.True(checkReport.RootElement.GetProperty("passed").GetBoolean());
        Assert.True(checkReport.RootElement.GetProperty("restore").GetProperty("documents").GetInt64() > 0);
    }
}
