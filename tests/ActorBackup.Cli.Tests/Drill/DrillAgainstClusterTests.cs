using System.Text.Json;
using ActorBackup.Cli.Verbs.Demo;
using ActorBackup.Cli.Verbs.Drill;
using ActorBackup.Testing;

namespace ActorBackup.Cli.Tests.Drill;

/// <summary>`actorbackup drill --scenario kill-node` against three node processes capturing a live federation.</summary>
public sealed class DrillAgainstClusterTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "actorbackup-drill-" + Guid.NewGuid().ToString("N"));
    private readonly ChildProcesses _children = new();
    private FederationFeed? _feed;

    public Task InitializeAsync()
    {
        Directory.CreateDirectory(_dir);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        if (_feed is not null)
            await _feed.DisposeAsync();
        Assert.Empty(_children.KillAll());
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task Killing_a_node_loses_no_acknowledged_record_and_every_shard_gets_back_to_R()
    {
        await NodeTools.EnsureInstalledAsync();
        var source = await new ReqliteLauncher(RepoPaths.ReqliteTools).StartAsync(_children, CancellationToken.None);
        var keys = Path.Combine(_dir, "federation-keys.json");
        _feed = await FederationFeed.StartAsync(source, "bigchain", 4, 5, keys, CancellationToken.None);
        var cluster = await DemoCluster.StartAsync(_children, Path.Combine(AppContext.BaseDirectory, "actorbackup.dll"), _dir, source.Endpoint, keys, 4, 2, CancellationToken.None);
        var admin = cluster.Nodes[0].File.AdminUrl;
        await WaitUntilHealthy(new Uri(admin));

        var output = new StringWriter();
        var error = new StringWriter();
        var code = await Program.RunAsync(["drill", "--admin", admin, "--scenario", "kill-node", "--timeout", "60", "--json"], output, error, CancellationToken.None);

        Assert.True(code == 0, $"drill exited with {code}: {output}{error}");
        using var report = JsonDocument.Parse(output.ToString());
        var root = report.RootElement;
        Assert.True(root.GetProperty("passed").GetBoolean());
        Assert.Equal(0, root.GetProperty("recordsLost").GetInt64());
        Assert.True(root.GetProperty("acknowledgedBefore").GetInt64() > 0);
        Assert.True(root.GetProperty("backToRSeconds").GetDouble() > 0);
        var killed = root.GetProperty("killed")[0].GetProperty("pid").GetInt32();
        var victim = Assert.Single(cluster.Nodes, n => n.Process.Pid == killed);
        Assert.NotSame(cluster.Nodes[0], victim);
        Assert.True(victim.Process.HasExited);

        var check = new StringWriter();
        var checkCode = await Program.RunAsync(["drill", "--admin", admin, "--scenario", "restore-check", "--source", source.Endpoint, "--json"],
            check, error, CancellationToken.None);

        Assert.True(checkCode == 0, $"restore-check exited with {checkCode}: {check}{error}");
        using var checkReport = JsonDocument.Parse(check.ToString());
        Assert.True(checkReport.RootElement.GetProperty("passed").GetBoolean());
        Assert.True(checkReport.RootElement.GetProperty("records").GetInt64() > 0);
    }

    private static async Task WaitUntilHealthy(Uri admin)
    {
        using var client = new StatusClient(admin, TimeSpan.FromSeconds(5));
        var deadline = DateTime.UtcNow + Patience;
        var last = "no status yet";
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                var status = await client.GetAsync(CancellationToken.None);
                if (status.Members.Count == 3 && status.Members.All(m => m.Pid is not null && m.Reachable)
                    && status.Shards.All(s => s.Replicas.Count(r => r.Reachable && r.Watermark.HasValue) >= 2))
                    return;
                last = $"{status.Members.Count} members, {status.Shards.Count(s => s.UnderReplicated)} shards under R";
            }
            catch (StatusUnavailableException e)
            {
                last = e.Message;
            }
            await Task.Delay(250);
        }
        throw new TimeoutException($"the cluster was not healthy within {Patience.TotalSeconds:0} s: {last}");
    }
}
