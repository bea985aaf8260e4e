using System.Text.Json.Nodes;
using ActorBackup.Cli.CommandLine;
using ActorBackup.Cluster.Tests.Node;
using ActorBackup.Ledger.Documents;
using ActorBackup.Ledger.Simulation;
using ActorBackup.Recovery.Tests.FromCluster;

namespace ActorBackup.Recovery.Tests.Bundle;

/// <summary>client-backup --admin reads a bundle from a real two-node backup cluster, equal to one read from the federation itself.</summary>
public sealed class ClientBackupFromClusterSpec(BackupClusterFixture cluster) : IClassFixture<BackupClusterFixture>, IDisposable
{
    private readonly TempDir _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task A_bundle_from_the_backup_cluster_holds_the_same_records_as_one_from_the_source_and_verifies()
    {
        await cluster.AwaitCapturedAsync();
        var blocks = cluster.Written.Where(d => d.Table == "bigchain").Select(d => LedgerReader.ReadBlock(d.Json)!).Where(b => !b.IsGenesis).Skip(2).Take(2).ToList();
        var selection = blocks.SelectMany(b => new[] { "--tx", b.TransactionIds[0] }).ToArray();
        var keys = _temp.File("federation-keys.json");
        using (var simulator = new FederationSimulator(new SimulationOptions(TestNodeFiles.FederationSeed, Nodes: 3)))
            File.WriteAllText(keys, simulator.KeyFile());

        var fromCluster = await BundleCli.RunAsync(["client-backup", "--admin", cluster.Nodes[0].AdminUrl, "--out", _temp.File("cluster.tar.gz"), .. selection]);
        var fromSource = await BundleCli.RunAsync(["client-backup", "--source", cluster.Source.Endpoint, "--out", _temp.File("source.tar.gz"), .. selection]);
        var verified = await BundleCli.RunAsync("verify-bundle", _temp.File("cluster.tar.gz"), "--federation-keys", keys);

        Assert.True(fromCluster.Code == ExitCodes.Ok, fromCluster.Err + fromCluster.Out);
        Assert.True(fromSource.Code == ExitCodes.Ok, fromSource.Err + fromSource.Out);
        Assert.Contains(fromCluster.Out.Split('\n'), l => l.StartsWith("bigchain: every shard read whole (", StringComparison.Ordinal));
        var (_, viaCluster, _) = await DumpTool.ReadAsync(_temp.File("cluster.tar.gz"));
        var (_, viaSource, _) = await DumpTool.ReadAsync(_temp.File("source.tar.gz"));
        foreach (var table in new[] { "bigchain.bigchain", "bigchain.votes" })
        {
            Assert.Equal(viaSource[table].Count, viaCluster[table].Count);
            Assert.All(viaSource[table].Zip(viaCluster[table], (a, b) => (Source: a, Cluster: b)), pair => Assert.True(JsonNode.DeepEquals(pair.Source, pair.Cluster), $"{table} differs"));
        }
        Assert.Equal(blocks.Select(b => b.Id).Order(StringComparer.Ordinal), viaCluster["bigchain.bigchain"].Select(b => b!["id"]!.GetValue<string>()));
        Assert.Equal(6, viaCluster["bigchain.votes"].Count);
        Assert.True(verified.Code == ExitCodes.Ok, verified.Err + verified.Out);
    }
}
