using System.Text.Json;
using ActorBackup.Cli.Tests.CommandLine;

namespace ActorBackup.Cli.Tests.Drill;

/// <summary>
/// `actorbackup drill --scenario lose-region` against four node processes over three regions with R=2: losing the
/// two-node region still leaves two regions for R distinct replicas.
/// </summary>
[Collection(ClusterProcesses.Name)]
public sealed class LoseRegionDrillTests : IAsyncLifetime
{
    private static readonly (string Name, string Region)[] Layout =
        [("eu-1", "eu-west"), ("ap-1", "ap-south"), ("us-1", "us-east"), ("us-2", "us-east")];

    private readonly DrillTestbed _testbed = new();

    public Task InitializeAsync() => _testbed.StartAsync(Layout, sources: 1, shards: 4, replicas: 2);

    public Task DisposeAsync() => _testbed.DisposeAsync().AsTask();

    [Fact]
    public async Task Losing_a_region_loses_no_acknowledged_record_every_shard_gets_back_to_R_in_the_surviving_regions_and_the_backup_restores_verified()
    {
        var killedAfter = DateTimeOffset.UtcNow;

        var (code, output, error) = await CliRun.RunAsync(
            "drill", "--admin", _testbed.Admin, "--scenario", "lose-region", "--timeout", "60", "--scratch", _testbed.Cluster.Sources[0].Endpoint, "--json");

        Assert.True(code == 0, $"drill exited with {code}: {output}{error}");
        using var report = JsonDocument.Parse(output);
        var root = report.RootElement;
        Assert.Equal("lose-region", root.GetProperty("scenario").GetString());
        Assert.True(root.GetProperty("passed").GetBoolean());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("failure").ValueKind);
        Assert.Equal(0, root.GetProperty("recordsLost").GetInt64());
        Assert.True(root.GetProperty("acknowledgedBefore").GetInt64() > 0);
        Assert.True(root.GetProperty("captureResumedSeconds").GetDouble() > 0);
        Assert.True(root.GetProperty("backToRSeconds").GetDouble() >= root.GetProperty("captureResumedSeconds").GetDouble());
        var killed = root.GetProperty("killed").EnumerateArray().ToArray();
        var usEast = _testbed.Cluster.Nodes.Where(n => n.File.Region == "us-east").ToArray();
        Assert.Equal(usEast.Select(n => n.Process.Pid).Order(), killed.Select(k => k.GetProperty("pid").GetInt32()).Order());
        Assert.All(killed, k => Assert.Equal("us-east", k.GetProperty("region").GetString()));
        Assert.All(usEast, n => Assert.True(n.Process.HasExited, $"{n.File.Name} still runs"));
        Assert.All(_testbed.Cluster.Nodes.Except(usEast), n => Assert.False(n.Process.HasExited, $"{n.File.Name} was killed too"));

        var gone = usEast.Select(n => n.File.Address).ToHashSet();
        var after = await _testbed.WaitForAsync("the report's state", _ => true);
        Assert.All(after.Shards, s =>
        {
            var held = s.Replicas.Where(r => r.Reachable && !gone.Contains(r.Node) && r.Watermark > killedAfter).ToArray();
            Assert.True(held.Length >= 2, $"{s.Id} has {held.Length} surviving replicas past the kill");
            Assert.Equal(["ap-south", "eu-west"], held.Select(r => r.Region).Distinct().Order());
        });

        var restore = root.GetProperty("restore");
        Assert.StartsWith("actorbackup_drill_", restore.GetProperty("database").GetString());
        Assert.Equal(_testbed.Cluster.Sources[0].Endpoint, restore.GetProperty("server").GetString());
        Assert.True(restore.GetProperty("verified").GetBoolean(), restore.GetProperty("firstProblem").GetString());
        Assert.True(restore.GetProperty("dropped").GetBoolean());
        Assert.True(restore.GetProperty("documents").GetInt64() >= root.GetProperty("acknowledgedBefore").GetInt64());
        Assert.True(DateTimeOffset.Parse(restore.GetProperty("restorablePoint").GetString()!) > killedAfter.AddSeconds(-1));
    }
}
