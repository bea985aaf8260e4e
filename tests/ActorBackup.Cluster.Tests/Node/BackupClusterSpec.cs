using System.Net.Http;
using ActorBackup.Admin.Contract.Status;
using ActorBackup.Cluster.Node;

namespace ActorBackup.Cluster.Tests.Node;

/// <summary>
/// Three nodes in one process over two regions, each its own ActorSystem on a loopback port with its
/// own SQLite journal, R = 2 and 8 shards per table.
/// </summary>
public sealed class BackupClusterSpec() : DilatedTestKit(), IAsyncLifetime
{
    private readonly TestNodeFiles _files = new();
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };
    private readonly List<BackupNode> _nodes = [];

    public Task InitializeAsync()
    {
        // The node that is crashed later terminates without running the leave phases.
        _nodes.AddRange(_files.StartCluster(["eu-west", "eu-west", "us-east"],
            i => i == 1 ? "akka.coordinated-shutdown.run-by-actor-system-terminate = off" : ""));
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        foreach (var node in _nodes)
            await node.DisposeAsync();
        _http.Dispose();
        _files.Dispose();
    }

    private async Task<ClusterStatus> StatusOver(BackupNode node) =>
        StatusJson.Read(await _http.GetStringAsync(node.AdminUrl + "status"));

    [Fact]
    public async Task Every_shard_has_R_replicas_on_distinct_regions_and_any_node_reports_them_over_http()
    {
        foreach (var node in _nodes)
        {
            await AwaitAssertAsync(async () =>
            {
                var status = await StatusOver(node);

                Assert.Equal(_nodes.Select(n => n.Address).Order(), status.Members.Select(m => m.Address).Order());
                Assert.All(status.Members, m => Assert.Equal(("up", true), (m.Status, m.Reachable)));
                Assert.Equal(16, status.Shards.Count);
                Assert.All(status.Shards, s =>
                {
                    Assert.Equal(2, s.ReplicaCount);
                    Assert.Equal(2, s.Replicas.Select(r => r.Node).Distinct().Count());
                    Assert.Equal(["eu-west", "us-east"], s.Replicas.Select(r => r.Region).Order());
                });
            }, Dilated(TimeSpan.FromSeconds(40)), TimeSpan.FromMilliseconds(300));
        }
    }

    [Fact]
    public async Task After_a_node_crashes_the_others_see_it_unreachable_and_bring_every_shard_back_to_R()
    {
        await AwaitAssertAsync(async () =>
            Assert.All((await StatusOver(_nodes[0])).Shards, s => Assert.Equal(2, s.ReplicaCount)),
            Dilated(TimeSpan.FromSeconds(40)), TimeSpan.FromMilliseconds(300));
        var crashed = _nodes[1];

        await crashed.System.Terminate();

        foreach (var node in new[] { _nodes[0], _nodes[2] })
        {
            await AwaitAssertAsync(async () =>
            {
                var status = await StatusOver(node);

                Assert.Contains(status.Members, m => m.Address == crashed.Address && !m.Reachable);
                Assert.All(status.Shards, s =>
                {
                    Assert.Equal(2, s.ReplicaCount);
                    Assert.DoesNotContain(s.Replicas, r => r.Reachable && r.Node == crashed.Address);
                });
            }, Dilated(TimeSpan.FromSeconds(40)), TimeSpan.FromMilliseconds(300));
        }
    }

    [Fact]
    public async Task The_admin_endpoint_serves_metrics_and_health_and_answers_404_to_unknown_paths()
    {
        var node = _nodes[2];

        var metrics = await _http.GetAsync(node.AdminUrl + "metrics");
        var health = await _http.GetStringAsync(node.AdminUrl + "health");
        var unknown = await _http.GetAsync(node.AdminUrl + "nope");

        Assert.Equal("text/plain; version=0.0.4; charset=utf-8", metrics.Content.Headers.ContentType?.ToString());
        Assert.Contains("# TYPE actorbackup_shard_replicas gauge", await metrics.Content.ReadAsStringAsync());
        Assert.Equal("{\"status\":\"ok\"}\n", health);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, unknown.StatusCode);
        var afterwards = await _http.GetAsync(node.AdminUrl + "status");
        Assert.Equal(System.Net.HttpStatusCode.OK, afterwards.StatusCode);
    }
}
