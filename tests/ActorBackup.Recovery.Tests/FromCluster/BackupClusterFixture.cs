using ActorBackup.Testing;
using System.Text.Json;
using ActorBackup.Admin.Contract.Status;
using ActorBackup.Cluster.Node;
using ActorBackup.Cluster.Tests.Capture;
using ActorBackup.Cluster.Tests.Node;
using ActorBackup.Sandbox;
using ActorBackup.Sandbox.Reqlite;
using Akka.Configuration;

namespace ActorBackup.Recovery.Tests.FromCluster;

/// <summary>
/// Two backup nodes in two regions (R = 2) capturing a simulated federation from a real reqlite, and an
/// empty reqlite to restore into.
/// </summary>
public sealed class BackupClusterFixture : IAsyncLifetime
{
    private readonly TestNodeFiles _files = new();

    public List<BackupNode> Nodes { get; } = [];

    public List<LedgerDocument> Written { get; } = [];

    public LedgerSource Source { get; private set; } = null!;

    public ReqliteServer Target { get; private set; } = null!;

    public SimulatedLedger Ledger { get; private set; } = null!;

    public HttpClient Http { get; } = new() { Timeout = TimeSpan.FromSeconds(10) };

    /// <summary>The federation's key file the nodes verify with.</summary>
    public string KeysFile => _files.KeysFile;

    public static long WallNow => DateTimeOffset.UtcNow.ToUnixTimeSeconds();

    public async Task InitializeAsync()
    {
        Source = await LedgerSource.StartAsync();
        Target = await ReqliteServer.StartAsync();
        Ledger = new SimulatedLedger(TestNodeFiles.FederationSeed, WallNow - 600);
        await WriteAsync(Ledger.Next(8));
        var seedPort = FreePort.Next();
        var regions = new[] { "eu-west", "us-east" };
        for (var i = 0; i < regions.Length; i++)
        {
            var extra = $$"""
                actorbackup {
                  sources = ["{{Source.Endpoint}}"]
                  catch-up-margin = 2s
                  batch.max-latency = 50ms
                  restart-backoff { min = 200ms, max = 2s }
                }
                akka.coordinated-shutdown.run-by-actor-system-terminate = off
                """;
            var hocon = _files.NodeHocon($"node{i}", regions[i], i == 0 ? seedPort : FreePort.Next(), FreePort.Next(), seedPort, extra);
            Nodes.Add(BackupNode.Start(NodeConfiguration.FromConfig(ConfigurationFactory.ParseString(hocon), $"node{i}")));
        }
    }

    public async Task WriteAsync(IReadOnlyList<LedgerDocument> documents)
    {
        await Source.InsertAsync(documents);
        Written.AddRange(documents);
    }

    /// <summary>Waits until every shard has both replicas holding what the source holds, with watermarks past its newest timestamp.</summary>
    public Task AwaitCapturedAsync()
    {
        var newest = Written.Max(d => d.Timestamp);
        return Eventually.Passes(async () =>
        {
            var status = StatusJson.Read(await Http.GetStringAsync(Nodes[0].AdminUrl + "status"));
            var counts = status.Shards.GroupBy(s => s.Table).ToDictionary(g => g.Key,
                g => g.Sum(s => s.Replicas.Where(r => r.Reachable).Select(r => r.Records).DefaultIfEmpty(0).Min()));
            var complete = status.Shards.All(s => s.Replicas.Count(r => r.Reachable && r.Watermark?.ToUnixTimeSeconds() >= newest) == 2)
                           && status.RestorablePoint?.ToUnixTimeSeconds() >= newest
                           && Written.GroupBy(d => d.Table).All(g => counts.GetValueOrDefault(g.Key) == g.Count())
                           && status.Members.All(m => m.AdminUrl is not null);
            Assert.True(complete, $"the cluster has not captured the source: {JsonSerializer.Serialize(counts)} restorable {status.RestorablePoint} newest {newest}");
        }, TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(250));
    }

    public async Task DisposeAsync()
    {
        foreach (var node in Nodes)
            await node.DisposeAsync();
        Ledger.Dispose();
        await Source.DisposeAsync();
        await Target.DisposeAsync();
        Http.Dispose();
        _files.Dispose();
    }
}
