using ActorBackup.Admin.Contract.Status;
using ActorBackup.Sandbox;
using ActorBackup.Sandbox.Nodes;

namespace ActorBackup.Cli.Tests.Drill;

/// <summary>
/// What a drill runs against: a <see cref="LocalCluster"/> in a temporary directory, formed (every shard at R) before a
/// test starts. Disposing kills every process it started, whatever state the test left it in, and asserts none is left.
/// </summary>
internal sealed class DrillTestbed : IAsyncDisposable
{
    private static readonly TimeSpan FormLimit = TimeSpan.FromSeconds(60);
    private readonly string _dir = Directory.CreateTempSubdirectory("actorbackup-drill-").FullName;
    private LocalCluster? _cluster;

    public LocalCluster Cluster => _cluster ?? throw new InvalidOperationException("the testbed is not started");

    /// <summary>The admin endpoint drills are pointed at: the first node's.</summary>
    public string Admin => Cluster.Nodes[0].File.AdminUrl;

    /// <summary>Starts the cluster (federation writing 5 blocks a second); returns once every shard is at R.</summary>
    public async Task StartAsync(IReadOnlyList<(string Name, string Region)> layout, int sources, int shards, int replicas)
    {
        _cluster = new LocalCluster(_dir, NodeProcess.CliOfThisProgram());
        await _cluster.StartAsync(layout, sources, shards, replicas, rate: 5, log: null, CancellationToken.None);
        await _cluster.WaitUntilFormedAsync(FormLimit, null, CancellationToken.None);
    }

    /// <summary>The first status that satisfies <paramref name="done"/>, polled until <see cref="FormLimit"/>.</summary>
    public Task<ClusterStatus> WaitForAsync(string what, Func<ClusterStatus, bool> done) =>
        Cluster.WaitForAsync(what, StatusWatch.Until(done), FormLimit, null, CancellationToken.None);

    public async ValueTask DisposeAsync()
    {
        var stopped = _cluster is null ? null : await _cluster.StopAsync();
        Directory.Delete(_dir, recursive: true);
        Assert.Empty(stopped?.Left ?? []);
    }
}
