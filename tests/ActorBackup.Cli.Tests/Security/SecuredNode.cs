using ActorBackup.Admin.Contract.Access;
using ActorBackup.Admin.Contract.Status;
using ActorBackup.Cli.CommandLine;
using ActorBackup.Cli.Tests.CommandLine;
using ActorBackup.Cli.Tests.Import;
using ActorBackup.Ledger.Simulation;
using ActorBackup.Sandbox;
using ActorBackup.Sandbox.Nodes;
using ActorBackup.Sandbox.Processes;
using ActorBackup.Sandbox.Reqlite;
using ActorBackup.Testing;

namespace ActorBackup.Cli.Tests.Security;

/// <summary>
/// One `actorbackup node` process (R = 1, its source a reqlite server without the ledger: it takes imports, whose point is
/// checked against the source's time) whose admin endpoint asks for an admin token
/// and accepts a read-only one, holding an archive imported as of its newest record with the admin token.
/// </summary>
public sealed class SecuredNode : IAsyncLifetime
{
    private readonly ChildProcesses _children = new();
    private ReqliteServer? _source;
    private HttpClient? _admin;

    public string Root { get; } = Directory.CreateTempSubdirectory("actorbackup-secured-node-").FullName;

    public string AdminToken { get; } = Admin.Contract.Access.AdminToken.New();

    public string ReadToken { get; } = Admin.Contract.Access.AdminToken.New();

    public string AdminTokenFile => Path.Combine(Root, "admin.token");

    public string ReadTokenFile => Path.Combine(Root, "read.token");

    public string AdminUrl { get; private set; } = "";

    /// <summary>The node's cluster address and its process.</summary>
    public (string Address, int Pid) Process { get; private set; }

    /// <summary>The newest record of the imported archive, the point the import set.</summary>
    public long Newest { get; private set; }

    public string Archive => Path.Combine(Root, "ledger.tar.gz");

    public async Task InitializeAsync()
    {
        File.WriteAllText(AdminTokenFile, AdminToken + "\n");
        File.WriteAllText(ReadTokenFile, ReadToken + "\n");
        var keys = Path.Combine(Root, "federation-keys.json");
        using (var simulator = new FederationSimulator(new SimulationOptions(ImportCluster.FederationSeed, Nodes: 3)))
            File.WriteAllText(keys, simulator.KeyFile());
        _source = await ReqliteServer.StartAsync();
        var port = FreePort.Next();
        var file = new NodeFile("secured", "eu-west", port, FreePort.Next(), [$"127.0.0.1:{port}"], keys, Path.Combine(Root, "secured"))
        {
            Sources = [_source.Endpoint],
            Shards = 4,
            Replicas = 1,
            Extra = NodeFile.QuickCapture + $"\nactorbackup.admin.read-token-file = \"{ReadTokenFile}\"\n",
            AdminTokenFile = AdminTokenFile,
        };
        AdminUrl = file.AdminUrl;
        var node = NodeProcess.Start(_children, file.Name, NodeProcess.CliOfThisProgram(), file.WriteTo(Root), Root);
        await NodeProcess.WaitForStartAsync(node, CancellationToken.None);
        Process = (file.Address, node.Process.Id);
        _admin = AdminHttp.Create(TimeSpan.FromSeconds(10), AdminToken);
        await Eventually.Passes(async () => Assert.All((await StatusAsync()).Shards, s => Assert.Equal(1, s.ReplicaCount)), TimeSpan.FromSeconds(60));
        await Eventually.Passes(async () => Assert.NotNull(Assert.Single((await StatusAsync()).Sources!).ClockOffsetMs), TimeSpan.FromSeconds(60));

        var ledger = await ImportArchives.WriteAsync(Archive, 6);
        Newest = ImportRoundTrip.Newest(ledger);
        var (code, output, error) = await CliRun.RunAsync("import", Archive, "--admin", AdminUrl, "--token-file", AdminTokenFile, "--as-of", Newest.ToString());
        Assert.True(code == ExitCodes.Ok, error + output);
        await Eventually.Passes(async () => Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(Newest), (await StatusAsync()).RestorablePoint), TimeSpan.FromSeconds(60));
    }

    public async Task DisposeAsync()
    {
        Assert.Empty(_children.KillAll());
        if (_source is not null) await _source.DisposeAsync();
        _admin?.Dispose();
        Directory.Delete(Root, recursive: true);
    }

    /// <summary>The status, read with the admin token.</summary>
    public async Task<ClusterStatus> StatusAsync() => StatusJson.Read(await _admin!.GetStringAsync(AdminUrl + "status"));

    /// <summary>The restorable point and every replica's watermark: what an import's point in time would move.</summary>
    public async Task<string> PointsAsync()
    {
        var status = await StatusAsync();
        return $"{status.RestorablePoint:O} " + string.Join(",", status.Shards.SelectMany(s => s.Replicas.Select(r => $"{s.Id}:{r.Watermark:O}")).Order());
    }
}
