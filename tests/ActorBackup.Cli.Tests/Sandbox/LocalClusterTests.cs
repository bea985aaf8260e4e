using ActorBackup.Sandbox;
using ActorBackup.Sandbox.Nodes;
using ActorBackup.Sandbox.Processes;

namespace ActorBackup.Cli.Tests.Sandbox;

/// <summary>A local cluster's nodes killed and restarted for real, as processes.</summary>
[Collection(ClusterProcesses.Name)]
public sealed class LocalClusterTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private readonly string _dir = Directory.CreateTempSubdirectory("actorbackup-local-cluster-").FullName;
    private LocalCluster? _cluster;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        var stopped = _cluster is null ? null : await _cluster.StopAsync();
        Directory.Delete(_dir, recursive: true);
        Assert.Empty(stopped?.Left ?? []);
        Assert.All(stopped?.Pids ?? [], pid => Assert.False(ProcessKiller.IsRunning(pid), $"pid {pid} still runs"));
    }

    [Fact]
    public async Task A_killed_node_restarted_from_its_node_file_rejoins_and_the_cluster_forms_again()
    {
        _cluster = new LocalCluster(_dir, NodeProcess.CliOfThisProgram());
        var started = new List<string>();
        await _cluster.StartAsync([("a-1", "region-a"), ("b-1", "region-b")], sources: 1, shards: 2, replicas: 2, rate: 5, started.Add, CancellationToken.None);
        Assert.Single(started, l => l.StartsWith("reqlite (the federation's RethinkDB) on 127.0.0.1:", StringComparison.Ordinal));
        Assert.Single(started, l => l.StartsWith("a federation of 4 nodes writes 5 blocks/s into bigchain", StringComparison.Ordinal));
        Assert.Equal(["a-1", "b-1"], started.Where(l => l.StartsWith("backup node ", StringComparison.Ordinal)).Select(l => l.Split(' ')[2]));
        await _cluster.WaitUntilFormedAsync(Patience, null, CancellationToken.None);
        var killed = _cluster.Nodes[1];

        killed.Process.Kill();
        await _cluster.WaitForAsync("b-1 seen unreachable", s => s.Members.Any(m => m.Address == killed.File.Address && !m.Reachable) ? null : "b-1 still reachable",
            Patience, null, CancellationToken.None);
        var restarted = await _cluster.RestartAsync(killed, CancellationToken.None);
        var formed = await _cluster.WaitForAsync("b-1 back with its new pid, and every shard at R", s => LocalCluster.Formed(s, 2)
            ?? (s.Members.Any(m => m.Address == killed.File.Address && m.Pid == restarted.Process.Pid) ? null : "b-1 still shows its old pid"),
            Patience, null, CancellationToken.None);

        Assert.NotEqual(killed.Process.Pid, restarted.Process.Pid);
        Assert.Same(restarted, _cluster.Nodes[1]);
        Assert.Equal((restarted.File, restarted.ConfigPath), (killed.File, killed.ConfigPath));
        Assert.All(formed.Shards, s => Assert.Contains(s.Replicas, r => r.Node == killed.File.Address && r.Reachable && r.Watermark is not null));
        Assert.Contains(killed.Process.Pid, (await _cluster.StopAsync()).Pids);
    }
}
