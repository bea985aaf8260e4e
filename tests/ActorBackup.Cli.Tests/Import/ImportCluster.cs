using ActorBackup.Testing;
using System.Net.Http;
using ActorBackup.Admin.Contract.Status;
using ActorBackup.Cluster.Node;
using ActorBackup.Ledger.Simulation;
using ActorBackup.Sandbox;
using ActorBackup.Sandbox.Reqlite;
using Akka.Configuration;

namespace ActorBackup.Cli.Tests.Import;

/// <summary>
/// Backup nodes in this process (each its own ActorSystem, TCP on loopback, SQLite journal), verifying against the
/// keys of <see cref="FederationSeed"/>. Their source is a reqlite server without the ledger's database: an import
/// needs no ledger, but an import point is checked against the source's time, so each node measures it first.
/// </summary>
public abstract class ImportCluster : IAsyncLifetime
{
    public const string FederationSeed = "cli-import-tests";
    public const int Shards = 4;

    private readonly List<BackupNode> _nodes = [];
    private ReqliteServer? _source;
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };

    protected ImportCluster(int nodes, int replicas)
    {
        NodeCount = nodes;
        Replicas = replicas;
    }

    public int NodeCount { get; }

    public int Replicas { get; }

    public string Root { get; } = Path.Combine(Path.GetTempPath(), "actorbackup-cli-import-" + Guid.NewGuid().ToString("N"));

    public IReadOnlyList<BackupNode> Nodes => _nodes;

    public string AdminUrl => _nodes[0].AdminUrl;

    public async Task InitializeAsync()
    {
        _source = await ReqliteServer.StartAsync();
        Directory.CreateDirectory(Root);
        var keys = Path.Combine(Root, "federation-keys.json");
        using (var simulator = new FederationSimulator(new SimulationOptions(FederationSeed, Nodes: 3)))
            File.WriteAllText(keys, simulator.KeyFile());
        var seedPort = FreePort.Next();
        for (var i = 0; i < NodeCount; i++)
        {
            var port = i == 0 ? seedPort : FreePort.Next();
            var hocon = $$"""
                actorbackup {
                  region = "{{(i % 2 == 0 ? "eu-west" : "us-east")}}"
                  federation-keys = "{{keys}}"
                  data-dir = "{{Path.Combine(Root, $"node{i}")}}"
                  sources = ["{{_source.Endpoint}}"]
                  shards = {{Shards}}
                  replicas = {{Replicas}}
                  admin.endpoint = "127.0.0.1:{{FreePort.Next()}}"
                  restart-backoff { min = 1s, max = 5s }
                  node { placement-debounce = 200ms, status-interval = 300ms, status-timeout = 3s }
                }
                akka {
                  loglevel = WARNING
                  stdout-loglevel = WARNING
                  coordinated-shutdown.run-by-clr-shutdown-hook = off
                  coordinated-shutdown.run-by-actor-system-terminate = off
                  remote.dot-netty.tcp { hostname = "127.0.0.1", port = {{port}} }
                  cluster {
                    seed-nodes = ["akka.tcp://actorbackup@127.0.0.1:{{seedPort}}"]
                    gossip-interval = 200ms
                    failure-detector { heartbeat-interval = 200ms, acceptable-heartbeat-pause = 1s }
                    distributed-data.gossip-interval = 300ms
                  }
                }
                """;
            _nodes.Add(BackupNode.Start(NodeConfiguration.FromConfig(ConfigurationFactory.ParseString(hocon), $"node{i}")));
        }
        // The replicas' capture attempts connect to the source, which measures its clock, although they find no ledger.
        foreach (var node in _nodes)
            await Eventually.Passes(() => Assert.NotNull(node.Sources.SourceNowOrNull()), TimeSpan.FromSeconds(60));
    }

    public async Task DisposeAsync()
    {
        foreach (var node in _nodes)
            await node.DisposeAsync();
        if (_source is not null) await _source.DisposeAsync();
        _http.Dispose();
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException e)
        {
            Console.Error.WriteLine($"Could not delete {Root}: {e.Message}");
        }
    }

    public async Task<ClusterStatus> StatusAsync() => StatusJson.Read(await _http.GetStringAsync(AdminUrl + "status"));

    /// <summary>The status once <paramref name="assertion"/> holds of it.</summary>
    public Task<ClusterStatus> StatusWhen(Action<ClusterStatus> assertion) => Eventually.Passes(async () =>
    {
        var status = await StatusAsync();
        assertion(status);
        return status;
    }, TimeSpan.FromSeconds(60));

    /// <summary>Every node a member and every shard on as many replicas as there are nodes.</summary>
    public Task<ClusterStatus> FormedAsync() => StatusWhen(s =>
    {
        Assert.Equal(NodeCount, s.Members.Count);
        Assert.NotEmpty(s.Shards);
        Assert.All(s.Shards, x => Assert.Equal(Math.Min(NodeCount, Replicas), x.ReplicaCount));
    });
}

/// <summary>Two nodes in two regions, R = 2.</summary>
public sealed class TwoNodeCluster() : ImportCluster(2, 2);

/// <summary>One node of a cluster configured for R = 2: it can never make an import durable on R.</summary>
public sealed class UnderReplicatedCluster() : ImportCluster(1, 2);

/// <summary>Two nodes in two regions, R = 2, that hold nothing before the tests of the explicit --as-of import.</summary>
public sealed class EmptyClusterForAsOf() : ImportCluster(2, 2);

/// <summary>Two nodes in two regions, R = 2, that hold nothing before the test of the default point in time.</summary>
public sealed class EmptyClusterForDefaultPoint() : ImportCluster(2, 2);
