using ActorBackup.Admin.Contract.Status;
using ActorBackup.Sandbox;
using ActorBackup.Sandbox.Nodes;
using ActorBackup.Sandbox.Processes;

namespace ActorBackup.Cli.Tests.Sources;

/// <summary>
/// Three node processes, 64 shards of two tables at R = 2 (about 85 replicas each) following the same two sources:
/// the kernel's own list of TCP connections (what <c>ss</c> shows) must hold at most three per node to a source, nine in
/// all, before and after the source they read dies and every replica fails over to the other.
/// </summary>
[Collection(ClusterProcesses.Name)]
public sealed class SourceConnectionCountTests : IAsyncLifetime
{
    private const int MaxPerNode = 3;
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(8);
    private readonly string _dir = Directory.CreateTempSubdirectory("actorbackup-source-connections-").FullName;
    private LocalCluster? _cluster;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        var stopped = _cluster is null ? null : await _cluster.StopAsync();
        Directory.Delete(_dir, recursive: true);
        Assert.All(stopped?.Pids ?? [], pid => Assert.False(ProcessKiller.IsRunning(pid), $"pid {pid} still runs"));
    }

    /// <summary>Per node, its established connections to the source on <paramref name="port"/>, as the kernel counts them.</summary>
    private int[] ConnectionsTo(int port) => _cluster!.Nodes.Select(n => TcpConnections.To(port, n.Process.Pid)).ToArray();

    private static void AssertBounded(int[] perNode, string when)
    {
        Assert.All(perNode, count => Assert.InRange(count, 0, MaxPerNode));
        Assert.True(perNode.Sum() <= 3 * MaxPerNode, $"{when}: {string.Join(", ", perNode)} connections");
    }

    [Fact]
    public async Task Three_nodes_with_64_shards_at_R2_hold_at_most_three_connections_each_to_a_source_before_and_after_failing_over()
    {
        _cluster = new LocalCluster(_dir, NodeProcess.CliOfThisProgram());
        await _cluster.StartAsync(LocalCluster.DemoLayout, sources: 2, shards: 64, replicas: 2, rate: 5, null, CancellationToken.None);
        var (first, second) = (_cluster.Sources[0], _cluster.Sources[1]);
        var formed = await _cluster.WaitForAsync($"every shard at R with every replica reading {first.Endpoint}", s => LocalCluster.Formed(s, 3)
                ?? (s.Shards.All(shard => shard.Replicas.All(r => r.Source == first.Endpoint)) ? null : "some replica reads another source"),
            Patience, null, CancellationToken.None);

        var before = ConnectionsTo(first.Port);
        AssertBounded(before, "following the first source");
        Assert.All(before, count => Assert.True(count >= 1, "a node capturing from the first source holds no connection to it"));
        Assert.Equal(128, formed.Shards.Count);
        Assert.Equal(256, formed.Shards.Sum(s => s.Replicas.Count(r => r.Reachable)));
        var reported = Assert.Single(formed.Sources!, s => s.Endpoint == first.Endpoint);
        Assert.InRange(reported.Connections, 1, MaxPerNode);

        first.Kill();
        var killedAt = DateTimeOffset.UtcNow;
        var after = await _cluster.WaitForAsync($"every replica live on {second.Endpoint} past the kill", s =>
                s.Shards.All(shard => shard.Replicas.Count(r => r.Reachable && r.Source == second.Endpoint && r.Phase == ReplicaPhases.Live
                    && r.Watermark > killedAt.AddSeconds(-60)) == 2)
                    ? null
                    : "some replica has not failed over",
            Patience, null, CancellationToken.None);

        var failedOver = ConnectionsTo(second.Port);
        AssertBounded(failedOver, "after failing over to the second source");
        Assert.All(failedOver, count => Assert.True(count >= 1, "a node capturing from the second source holds no connection to it"));
        Assert.Equal(0, ConnectionsTo(first.Port).Sum());
        Assert.NotNull(after.RestorablePoint);
    }
}
