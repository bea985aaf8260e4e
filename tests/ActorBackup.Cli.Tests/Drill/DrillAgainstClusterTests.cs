using System.Text.Json;
using ActorBackup.Cli.Verbs.Demo;

namespace ActorBackup.Cli.Tests.Drill;

/// <summary>`actorbackup drill --scenario kill-node` against three node processes capturing a live federation.</summary>
[Collection(ClusterProcesses.Name)]
public sealed class DrillAgainstClusterTests : IAsyncLifetime
{
    private readonly DrillTestbed _testbed = new();

    public Task InitializeAsync() => _testbed.StartAsync(DemoCluster.DemoLayout, sources: 1, shards: 4, replicas: 2);

    public Task DisposeAsync() => _testbed.DisposeAsync().AsTask();

    [Fact]
    public async Task Killing_a_node_loses_no_acknowledged_record_and_every_shard_gets_back_to_R()
    {
        var (code, output, error) = await DrillTestbed.RunAsync("drill", "--admin", _testbed.Admin, "--scenario", "kill-node", "--timeout", "60", "--json");

        Assert.True(code == 0, $"drill exited with {code}: {output}{error}");
        using var report = JsonDocument.Parse(output);
        var root = report.RootElement;
        Assert.True(root.GetProperty("passed").GetBoolean());
        Assert.Equal(0, root.GetProperty("recordsLost").GetInt64());
        Assert.True(root.GetProperty("acknowledgedBefore").GetInt64() > 0);
        Assert.True(root.GetProperty("backToRSeconds").GetDouble() > 0);
        var killed = root.GetProperty("killed")[0].GetProperty("pid").GetInt32();
        var victim = Assert.Single(_testbed.Cluster.Nodes, n => n.Process.Pid == killed);
        Assert.NotSame(_testbed.Cluster.Nodes[0], victim);
        Assert.True(victim.Process.HasExited);

        var (checkCode, check, checkError) = await DrillTestbed.RunAsync(
            "drill", "--admin", _testbed.Admin, "--scenario", "restore-check", "--source", _testbed.Sources[0].Endpoint, "--json");

        Assert.True(checkCode == 0, $"restore-check exited with {checkCode}: {check}{checkError}");
        using var checkReport = JsonDocument.Parse(check);
        Assert.True(checkReport.RootElement.GetProperty("passed").GetBoolean());
        Assert.True(checkReport.RootElement.GetProperty("records").GetInt64() > 0);
    }
}
