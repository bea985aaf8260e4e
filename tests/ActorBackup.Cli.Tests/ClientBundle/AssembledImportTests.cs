using ActorBackup.Cli.CommandLine;
using ActorBackup.Cli.Tests.CommandLine;
using ActorBackup.Cli.Tests.Import;
using ActorBackup.Cli.Tests.Simulate;
using ActorBackup.Cli.Verbs.Simulate;
using ActorBackup.Sandbox.Federation;
using ActorBackup.Ledger.Simulation;
using ActorBackup.Recovery.Archive;
using ActorBackup.ReQL.Net;

namespace ActorBackup.Cli.Tests.ClientBundle;

/// <summary>Two nodes in two regions, R = 2, holding nothing before a ledger assembled from client bundles is imported.</summary>
public sealed class ClusterForAssembledLedger() : ImportCluster(2, 2);

/// <summary>
/// Client bundles rebuild a ledger the backup cluster takes like any dump: bundles read from a federation (in reqlite)
/// signed with the cluster's federation keys, assembled, imported, and restored back equal to the assembled archive.
/// </summary>
public sealed class AssembledImportTests(ClusterForAssembledLedger cluster, ReqliteFixture reqlite)
    : IClassFixture<ClusterForAssembledLedger>, IClassFixture<ReqliteFixture>
{
    [Fact]
    public async Task A_ledger_assembled_from_bundles_imports_into_a_backup_cluster_and_restores_as_assembled()
    {
        const string db = "federation";
        using var simulator = new FederationSimulator(new SimulationOptions(ImportCluster.FederationSeed, Nodes: 3, TransactionsPerBlock: 1,
            Clock: SimulationClocks.Virtual()));
        var rounds = simulator.Generate(9).ToList();
        await using (var connection = await Connection.ConnectAsync(new ConnectionOptions { Host = reqlite.Server.Host, Port = reqlite.Server.Port }))
        {
            await BigchainSchema.EnsureAsync(connection, db, CancellationToken.None);
            await new LedgerWriter(connection, db).WriteAsync(rounds, CancellationToken.None);
        }
        // Genesis goes in the first bundle, whose verification then says its block is never voted on (exit 3).
        var genesisTx = Ledger.Documents.LedgerReader.ReadBlock(rounds[0].Block.Json)!.TransactionIds[0];
        var bundles = new List<string>();
        for (var part = 0; part < 2; part++)
        {
            var txs = rounds.Where(r => r.Number % 2 == part).SelectMany(r => Ledger.Documents.LedgerReader.ReadBlock(r.Block.Json)!.TransactionIds);
            var path = Path.Combine(cluster.Root, $"bundle-{part}.tar.gz");
            var made = await CliRun.RunAsync(["client-backup", "--source", reqlite.Server.Endpoint, "--db", db, "--out", path, .. txs.SelectMany(t => new[] { "--tx", t })]);
            Assert.True(made.Code == (part == 0 ? ExitCodes.VerificationFailed : ExitCodes.Ok), made.Err + made.Out);
            if (part == 0)
                Assert.Contains(made.Out.Split('\n'), l => l.StartsWith($"transaction {genesisTx}: undecided in block {rounds[0].Block.BlockId} (the genesis block, which nodes never vote on; ", StringComparison.Ordinal));
            bundles.Add(path);
        }
        var assembled = Path.Combine(cluster.Root, "assembled.tar.gz");
        var assembly = await CliRun.RunAsync("assemble", "--bundle", bundles[0], "--bundle", bundles[1], "--out", assembled);
        Assert.True(assembly.Code == ExitCodes.Ok, assembly.Err + assembly.Out);
        Assert.Contains("assemble: every record verified and the vote chains show nothing missing", assembly.Out.Split('\n'));
        var archive = DumpArchiveReader.Open(assembled);
        var documents = archive.ReadDocuments().GroupBy(d => d.Table.Info.Name)
            .ToDictionary(g => g.Key, g => g.Select(d => System.Text.Encoding.UTF8.GetBytes(d.Document.GetRawText())).ToList());
        Assert.Equal(9, documents["bigchain"].Count);
        Assert.Equal(8 * 3, documents["votes"].Count);
        await cluster.FormedAsync();

        var (code, output, error) = await CliRun.RunAsync("import", "--admin", cluster.AdminUrl, assembled);

        Assert.True(code == ExitCodes.Ok, error + output);
        Assert.Contains("imported 33 documents of 2 tables into the cluster at " + cluster.AdminUrl + ": 33 stored, 0 already held, 0 quarantined; every one durable on R replicas",
            output.Split('\n'));
        var ledger = new ImportArchives.Ledger(assembled, documents["bigchain"], documents["votes"]);
        var newest = DateTimeOffset.FromUnixTimeSeconds(ImportRoundTrip.Newest(ledger));
        var status = await cluster.StatusWhen(s => Assert.Equal(newest, s.RestorablePoint));
        Assert.Equal(newest, status.RestorablePoint);
        await ImportRoundTrip.AssertRestoresToAsync(cluster, reqlite.Server, "restored", ledger);
    }
}
