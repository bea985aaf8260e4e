using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using ActorBackup.Admin.Contract.Access;
using ActorBackup.Admin.Contract.Status;
using ActorBackup.Cli.CommandLine;
using ActorBackup.Cli.Tests.CommandLine;
using ActorBackup.Cli.Tests.Simulate;
using ActorBackup.Sandbox;
using ActorBackup.Sandbox.Nodes;
using ActorBackup.Sandbox.Processes;
using ActorBackup.Sandbox.Reqlite;
using ActorBackup.Testing;

namespace ActorBackup.Cli.Tests.Security;

/// <summary>
/// Issue #14's done-when, with real processes: three `actorbackup node` processes (R = 2, SQLite journals) set up only
/// with what `actorbackup certs init`, a token file and `actorbackup keys new` give an operator capture a federation
/// that `actorbackup simulate` wrote into reqlite, and `actorbackup restore` brings it back document for document; a
/// node certified by another CA tries to join and never becomes a member; once the source is gone, so that nothing
/// else moves the restorable point, an `as-of` request without the admin token gets 401 and leaves it where it was,
/// while the same request with the token moves it; and no file in any node's data directory holds any block,
/// transaction or vote id of the ledger, as text or as the bytes its hex digits stand for.
/// </summary>
[Collection(ClusterProcesses.Name)]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class SecuredDeploymentTests : IAsyncLifetime
{
    private const string Database = "bigchain";
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(120);
    private static readonly (string Name, string Region)[] Layout = [("n1", "eu-west"), ("n2", "eu-west"), ("n3", "us-east")];

    private readonly string _root = Directory.CreateTempSubdirectory("actorbackup-secured-deployment-").FullName;
    private readonly ChildProcesses _children = new();
    private readonly string _token = AdminToken.New();
    private readonly List<(NodeFile File, ChildProcess Process)> _nodes = [];
    private HttpClient _admin = null!;
    private ReqliteServer _source = null!;
    private ReqliteServer _target = null!;

    private string Certs => Path.Combine(_root, "certs");

    private string TokenFile => Path.Combine(_root, "admin.token");

    private string KeysFile => Path.Combine(_root, "federation-keys.json");

    public async Task InitializeAsync()
    {
        _admin = AdminHttp.Create(TimeSpan.FromSeconds(10), _token);
        _source = await ReqliteServer.StartAsync();
        _target = await ReqliteServer.StartAsync();
    }

    public async Task DisposeAsync()
    {
        var left = _children.KillAll();
        await _source.DisposeAsync();
        await _target.DisposeAsync();
        _admin.Dispose();
        Directory.Delete(_root, recursive: true);
        Assert.Empty(left);
    }

    [Fact]
    public async Task A_cluster_set_up_with_certs_a_token_and_keys_restores_refuses_strangers_and_keeps_every_id_out_of_its_data()
    {
        // What an operator runs: the cluster's CA and one certificate per node, an admin token, a key per node.
        await Cli("certs", "init", "--out", Certs, "--names", string.Join(',', Layout.Select(n => n.Name)), "--hosts", "127.0.0.1");
        await File.WriteAllTextAsync(TokenFile, _token + "\n");
        File.SetUnixFileMode(TokenFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        foreach (var (name, _) in Layout)
            await Cli("keys", "new", "--out", Path.Combine(_root, name + ".key"));
        await Cli("simulate", "--source", _source.Endpoint, "--db", Database, "--blocks", "8", "--txs-per-block", "3", "--seed", "14", "--keys-out", KeysFile);
        var ledger = await StoredDocuments.ReadAsync(_source, Database);
        var newest = ledger.Blocks.Select(b => Timestamp(b, "block")).Concat(ledger.Votes.Select(v => Timestamp(v, "vote"))).Max();

        var seedPort = FreePort.Next();
        foreach (var (name, region) in Layout)
            Start(Secured(name, region, name == Layout[0].Name ? seedPort : FreePort.Next(), seedPort, Path.Combine(Certs, name + ".conf")));
        foreach (var (_, process) in _nodes)
            await NodeProcess.WaitForStartAsync(process, CancellationToken.None);
        var status = new StatusClient(_admin, _nodes.Select(n => new Uri(n.File.AdminUrl)).ToArray());

        // Captured: every node up, every shard on R caught-up replicas, the restorable point past the newest record.
        await Eventually.Passes(async () =>
        {
            var now = await status.GetAsync(CancellationToken.None);
            Assert.Null(LocalCluster.Formed(now, Layout.Length));
            Assert.True(now.RestorablePoint >= DateTimeOffset.FromUnixTimeSeconds(newest), $"restorable point {now.RestorablePoint:O}, newest record {newest}");
        }, Limit, TimeSpan.FromSeconds(1));

        // Restored into a fresh database, it is the federation's ledger, no more, no fewer.
        await Cli("restore", "--admin", _nodes[0].File.AdminUrl, "--token-file", TokenFile, "--to", _target.Endpoint, "--db", "bigchain_restored");
        var restored = await StoredDocuments.ReadAsync(_target, "bigchain_restored");
        Assert.Equal(Canonical(ledger.Blocks), Canonical(restored.Blocks));
        Assert.Equal(Canonical(ledger.Votes), Canonical(restored.Votes));

        await A_node_certified_by_another_CA_never_becomes_a_member(seedPort);
        await An_as_of_request_without_the_token_gets_401_and_leaves_the_restorable_point(status);

        // Stopped as an operator stops them, every file each node (the rogue too) wrote is read as grep would read it.
        foreach (var (_, process) in _nodes)
            process.Terminate();
        foreach (var (file, process) in _nodes)
            Assert.True(await process.WaitForExitAsync(TimeSpan.FromSeconds(30)) != -1, $"{file.Name} did not stop within 30 s");
        var ids = LedgerIds.Of(ledger.Blocks, ledger.Votes);
        Assert.Contains(ids, i => i.Kind == "vote id");
        var dataDirectories = Directory.GetDirectories(Path.Combine(_root, "data"));
        Assert.Equal(Layout.Length + 1, dataDirectories.Length);
        var leaks = DataDirectoryScan.Find(_root, dataDirectories, ids);
        Assert.True(leaks.Count == 0, $"ledger ids in the nodes' data directories:\n{string.Join("\n", leaks)}");
    }

    /// <summary>
    /// A node process whose certificate another `certs init` wrote, with the cluster's seed as its own: for several
    /// seconds after the seed refused its handshake, no node lists it among the members.
    /// </summary>
    private async Task A_node_certified_by_another_CA_never_becomes_a_member(int seedPort)
    {
        var rogueCerts = Path.Combine(_root, "rogue-certs");
        await Cli("certs", "init", "--out", rogueCerts, "--names", "rogue", "--hosts", "127.0.0.1", "--cluster", "rogue");
        await Cli("keys", "new", "--out", Path.Combine(_root, "rogue.key"));
        var rogue = Start(Secured("rogue", "eu-west", FreePort.Next(), seedPort, Path.Combine(rogueCerts, "rogue.conf")));
        _nodes.Remove(rogue);
        var seed = _nodes[0].Process;
        await Eventually.Passes(() =>
        {
            if (rogue.Process.HasExited)
                throw new WillNotPassException($"the rogue node exited: {rogue.Process.Tail}");
            Assert.Contains(seed.Lines, l => l.Contains("Refused a TLS connection", StringComparison.Ordinal));
        }, Limit, TimeSpan.FromMilliseconds(500));

        var rogueAddress = $"127.0.0.1:{rogue.File.Port}";
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        var looks = 0;
        while (DateTime.UtcNow < deadline)
        {
            foreach (var (file, _) in _nodes)
            {
                var (code, output, error) = await CliRun.RunAsync("members", "list", "--admin", file.AdminUrl, "--token-file", TokenFile, "--json");
                Assert.True(code == ExitCodes.Ok, error);
                var members = JsonSerializer.Deserialize<MemberEntry[]>(output, StatusJson.Options)!;
                Assert.Equal(Layout.Length, members.Length);
                Assert.DoesNotContain(members, m => m.Address.EndsWith("@" + rogueAddress, StringComparison.Ordinal));
                looks++;
            }
            await Task.Delay(TimeSpan.FromSeconds(1));
        }
        Assert.False(rogue.Process.HasExited, $"the rogue node exited, so it stopped trying: {rogue.Process.Tail}");
        Assert.True(looks >= 3 * Layout.Length, $"only {looks} looks at the members");
        rogue.Process.Kill();
    }

    /// <summary>
    /// With the source gone, nothing moves the restorable point; an as-of request without the admin token, or with another
    /// one, gets 401 on every node and leaves it (and every watermark) where it was; the same request with the token moves it.
    /// </summary>
    private async Task An_as_of_request_without_the_token_gets_401_and_leaves_the_restorable_point(StatusClient status)
    {
        _source.Kill();
        var still = await Eventually.Passes(async () =>
        {
            var first = await PointsAsync(status);
            await Task.Delay(TimeSpan.FromSeconds(7));
            Assert.Equal(first, await PointsAsync(status));
            return first;
        }, Limit, TimeSpan.FromSeconds(1));
        var point = (await status.GetAsync(CancellationToken.None)).RestorablePoint!.Value.ToUnixTimeSeconds();
        var at = point + 1;

        var refused = new List<HttpStatusCode>();
        foreach (var (file, _) in _nodes)
            foreach (var table in new[] { "bigchain", "votes" })
            {
                refused.Add(await PostAsOf(file.AdminUrl, table, at, token: null));
                refused.Add(await PostAsOf(file.AdminUrl, table, at, token: "not-the-admin-token"));
            }
        await Task.Delay(TimeSpan.FromSeconds(2));

        Assert.All(refused, code => Assert.Equal(HttpStatusCode.Unauthorized, code));
        Assert.Equal(still, await PointsAsync(status));
        // The refusal is what kept it: with the token, the same request moves it.
        Assert.Equal(HttpStatusCode.OK, await PostAsOf(_nodes[0].File.AdminUrl, "bigchain", at, _token));
        Assert.Equal(HttpStatusCode.OK, await PostAsOf(_nodes[0].File.AdminUrl, "votes", at, _token));
        await Eventually.Passes(async () => Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(at), (await status.GetAsync(CancellationToken.None)).RestorablePoint),
            TimeSpan.FromSeconds(30));
    }

    /// <summary>A node of this deployment: its node file includes the TLS file `certs` wrote, the token file and its own key.</summary>
    private NodeFile Secured(string name, string region, int port, int seedPort, string tlsInclude) =>
        new(name, region, port, FreePort.Next(), [$"127.0.0.1:{seedPort}"], KeysFile, Path.Combine(_root, "data", name))
        {
            Sources = [_source.Endpoint],
            Shards = 4,
            Replicas = 2,
            TlsInclude = tlsInclude,
            AdminTokenFile = TokenFile,
            Extra = NodeFile.QuickCapture + $"\nactorbackup.encryption.key-file = \"{Path.Combine(_root, name + ".key")}\"\n",
        };

    private (NodeFile File, ChildProcess Process) Start(NodeFile file)
    {
        var node = (file, NodeProcess.Start(_children, file.Name, NodeProcess.CliOfThisProgram(), file.WriteTo(_root), _root));
        _nodes.Add(node);
        return node;
    }

    /// <summary>The restorable point and every replica's watermark: what an as-of request would move.</summary>
    private static async Task<string> PointsAsync(StatusClient status)
    {
        var now = await status.GetAsync(CancellationToken.None);
        return $"{now.RestorablePoint:O} " + string.Join(",", now.Shards.SelectMany(s => s.Replicas.Select(r => $"{s.Id}@{r.Node}:{r.Watermark:O}")).Order());
    }

    private static async Task<HttpStatusCode> PostAsOf(string adminUrl, string table, long at, string? token)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
        using var request = new HttpRequestMessage(HttpMethod.Post, $"{adminUrl}import/{table}/as-of?at={at}&records=0");
        if (token is not null)
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await http.SendAsync(request);
        return response.StatusCode;
    }

    private static async Task Cli(params string[] args)
    {
        var (code, output, error) = await CliRun.RunAsync(args);
        Assert.True(code == ExitCodes.Ok, $"actorbackup {string.Join(' ', args)} exited {code}: {error}{output}");
    }

    private static long Timestamp(string json, string field)
    {
        using var document = JsonDocument.Parse(json);
        return long.Parse(document.RootElement.GetProperty(field).GetProperty("timestamp").GetString()!);
    }

    private static IEnumerable<string> Canonical(IEnumerable<string> documents) =>
        documents.Select(d => StoredDocuments.Canonical(d)).Order(StringComparer.Ordinal).ToList();
}
