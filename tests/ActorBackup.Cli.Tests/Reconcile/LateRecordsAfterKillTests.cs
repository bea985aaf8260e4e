using System.Text.Json;
using ActorBackup.Admin.Contract.Status;
using ActorBackup.Cli.Tests.CommandLine;
using ActorBackup.Ledger.Simulation;
using ActorBackup.ReQL.Ast;
using ActorBackup.ReQL.Net;
using ActorBackup.Sandbox;
using ActorBackup.Sandbox.Federation;
using ActorBackup.Sandbox.Nodes;
using ActorBackup.Testing;

namespace ActorBackup.Cli.Tests.Reconcile;

/// <summary>
/// Three node processes capture a federation, are all killed with SIGKILL, and the source then receives blocks and votes
/// whose timestamps are years older than every watermark: no catch-up scan reaches them. After a restart every one of
/// them is on R = 2 replicas, found by reconciliation with the source, and `verify --against-source` finds nothing missing.
/// </summary>
[Collection(ClusterProcesses.Name)]
public sealed class LateRecordsAfterKillTests : IAsyncLifetime
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(120);
    private static readonly long YearsAgo = DateTimeOffset.UtcNow.AddYears(-3).ToUnixTimeSeconds();
    private readonly string _dir = Directory.CreateTempSubdirectory("actorbackup-late-").FullName;
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };
    private LocalCluster _cluster = null!;

    public async Task InitializeAsync()
    {
        _cluster = new LocalCluster(_dir, NodeProcess.CliOfThisProgram());
        await _cluster.StartAsync(LocalCluster.DemoLayout, sources: 1, shards: 8, replicas: 2, rate: 5, log: null, CancellationToken.None);
        await _cluster.WaitUntilFormedAsync(Limit, null, CancellationToken.None);
    }

    [Fact]
    public async Task Records_committed_while_every_node_was_dead_with_timestamps_years_old_end_up_on_R_replicas()
    {
        await _cluster.Feed.DisposeAsync();
        foreach (var node in _cluster.Nodes)
        {
            node.Process.Kill();
            Assert.NotEqual(-1, await node.Process.WaitForExitAsync(TimeSpan.FromSeconds(10)));
        }
        var late = await CommitLateAsync(rounds: 3);
        Assert.Equal(3, late.Count(r => r.Table == "bigchain"));
        Assert.Contains(late, r => r.Table == "votes");

        // A whole-cluster restart as an operator makes it: no node takes on replicas before all three are back, so every
        // replica resumes from its own point and no scan from the start can reach the late records by chance.
        foreach (var node in _cluster.Nodes)
            await File.AppendAllTextAsync(node.ConfigPath, "\nakka.cluster.min-nr-of-members = 3\n");
        foreach (var node in _cluster.Nodes.ToArray())
            await _cluster.RestartAsync(node, CancellationToken.None);

        var held = await Eventually.Passes(async () =>
        {
            var status = await _cluster.Status.GetAsync(CancellationToken.None);
            var missing = new List<string>();
            foreach (var (table, id) in late)
            {
                var shard = status.Shards.Single(s => s.Table == table && s.Shard == ShardOf(id, status));
                var holders = 0;
                foreach (var replica in shard.Replicas.Where(r => r.Reachable))
                    if (await HoldsAsync(status, replica, table, shard.Shard, id)) holders++;
                if (holders < 2) missing.Add($"{table} {id} on {holders} replicas");
            }
            Assert.True(missing.Count == 0, $"not yet on R = 2: {string.Join(", ", missing.Take(5))}");
            var unreconciled = status.Shards.SelectMany(s => s.Replicas.Where(r => r.Reconcile?.At is null).Select(r => $"{s.Id} on {r.Node}")).ToArray();
            Assert.True(unreconciled.Length == 0, $"not yet reconciled: {string.Join(", ", unreconciled.Take(5))}");
            return status;
        }, Limit, TimeSpan.FromSeconds(1));

        var found = 0L;
        foreach (var node in _cluster.Nodes)
            found += FoundByReconciliation(await _http.GetStringAsync(node.File.AdminUrl + "metrics"));
        // Each record was found by reconciliation on at least one replica; its sibling found it too, or got it by repair.
        Assert.InRange(found, late.Count, 2 * late.Count);
        Assert.Contains("reconciled with the source since", held.RestorablePointBasis?.Text ?? "");

        var verify = await CliRun.RunAsync("verify", "--admin", _cluster.Nodes[0].File.AdminUrl, "--against-source");
        Assert.True(verify.Code == 0, $"verify --against-source exited {verify.Code}: {verify.Out} {verify.Err}");
        Assert.Contains($"against the source: {held.Shards.Sum(s => s.Replicas.Count)} replicas reconciled", verify.Out);
        Assert.Contains("0 records were missing", verify.Out);
        Assert.Contains("verify: ok", verify.Out);
    }

    /// <summary>Writes <paramref name="rounds"/> blocks and their votes, signed by the federation, stamped three years ago; returns their ids.</summary>
    private async Task<IReadOnlyList<(string Table, string Id)>> CommitLateAsync(int rounds)
    {
        var source = _cluster.Sources[0];
        var clock = YearsAgo;
        using var simulator = new FederationSimulator(FederationFeed.Options(LocalCluster.FederationNodes) with { Clock = () => clock++ });
        await using var connection = await Connection.ConnectAsync(new ConnectionOptions { Host = source.Host, Port = source.Port, Db = LocalCluster.Database });
        await new LedgerWriter(connection, LocalCluster.Database).WriteAsync(simulator.Generate(rounds).ToList(), CancellationToken.None);
        var ids = new List<(string, string)>();
        foreach (var (table, field) in new[] { ("bigchain", "block"), ("votes", "vote") })
        {
            await using var cursor = await R.Db(LocalCluster.Database).Table(table).RunCursorAsync(connection);
            await foreach (var document in cursor)
                if (long.Parse(document.GetProperty(field).GetProperty("timestamp").GetString()!) < YearsAgo + 1000)
                    ids.Add((table, document.GetProperty("id").GetString()!));
        }
        return ids;
    }

    private static int ShardOf(string id, ClusterStatus status) =>
        new ActorBackup.Cluster.Sharding.KeySpace(status.Shards.Count / 2).ShardOf(id);

    private async Task<bool> HoldsAsync(ClusterStatus status, ShardReplica replica, string table, int shard, string id)
    {
        var admin = status.Members.Single(m => m.Address == replica.Node).AdminUrl!;
        var lines = await _http.GetStringAsync($"{admin.TrimEnd('/')}/replicas/{table}/{shard}/records");
        return lines.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Any(line => JsonDocument.Parse(line).RootElement.GetProperty("id").GetString() == id);
    }

    private static long FoundByReconciliation(string metrics) =>
        metrics.Split('\n').Where(l => l.StartsWith("actorbackup_records_found_by_reconciliation_total{", StringComparison.Ordinal))
            .Sum(l => long.Parse(l[(l.LastIndexOf(' ') + 1)..]));

    public async Task DisposeAsync()
    {
        var stopped = await _cluster.StopAsync();
        _http.Dispose();
        Directory.Delete(_dir, recursive: true);
        Assert.Empty(stopped.Left);
    }
}
