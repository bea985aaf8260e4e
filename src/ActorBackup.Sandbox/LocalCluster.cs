using ActorBackup.Admin.Contract.Access;
using ActorBackup.Admin.Contract.Status;
using ActorBackup.Sandbox.Federation;
using ActorBackup.Sandbox.Nodes;
using ActorBackup.Sandbox.Processes;
using ActorBackup.Sandbox.Reqlite;

namespace ActorBackup.Sandbox;

/// <summary>
/// A backup cluster on this machine: reqlite sources (the servers of one RethinkDB cluster, each written every batch by
/// a simulated federation) and one `actorbackup node` process per node, each with its node file and data directory
/// under the work directory, reading the sources in order. Stopping it kills every process it started, however it ends.
/// </summary>
/// <param name="workDir">Where node files, keys and journals go; the caller creates and removes it.</param>
/// <param name="cli">The built CLI the nodes run (<see cref="NodeProcess.CliOfThisProgram"/>).</param>
public sealed class LocalCluster(string workDir, string cli) : IAsyncDisposable
{
    /// <summary>The database the federation writes and the nodes read.</summary>
    public const string Database = "bigchain";

    /// <summary>BigchainDB nodes of the simulated federation (each votes on every block).</summary>
    public const int FederationNodes = 4;

    private readonly ChildProcesses _children = new();
    private HttpClient? _http;
    private readonly List<ReqliteServer> _sources = [];
    private readonly List<LocalNode> _nodes = [];
    private readonly List<int> _pids = [];
    private FederationFeed? _feed;
    private StopReport? _stopped;

    /// <summary>Three nodes over two regions.</summary>
    public static IReadOnlyList<(string Name, string Region)> DemoLayout { get; } = [("eu-1", "eu-west"), ("eu-2", "eu-west"), ("us-1", "us-east")];

    public string WorkDir => workDir;

    /// <summary>
    /// The admin token every node asks for (written to <see cref="AdminTokenFile"/> when the nodes start) and every
    /// request of this cluster's own client carries; null for nodes with an open admin endpoint on loopback.
    /// </summary>
    public string? AdminToken { get; init; }

    /// <summary>Where the nodes read <see cref="AdminToken"/> from.</summary>
    public string AdminTokenFile => Path.Combine(workDir, "admin.token");

    /// <summary>The federation's public keys, which the nodes verify with.</summary>
    public string KeysFile => Path.Combine(workDir, "federation-keys.json");

    public IReadOnlyList<ReqliteServer> Sources => _sources;

    public FederationFeed Feed => _feed ?? throw new InvalidOperationException("the federation is not started");

    public IReadOnlyList<LocalNode> Nodes
    {
        get { lock (_nodes) return _nodes.ToArray(); }
    }

    /// <summary>Reads the status from the first node that answers, in layout order.</summary>
    public StatusClient Status => new(Http, Nodes.Select(n => new Uri(n.File.AdminUrl)).ToArray());

    /// <summary>
    /// Starts <paramref name="sources"/> reqlite servers, the federation writing <paramref name="rate"/> blocks a second
    /// into all of them, then one node per entry of <paramref name="layout"/> (the first is the seed), and waits until each
    /// printed its startup line. <paramref name="log"/> hears what was started, with its pid. On failure it stops what it
    /// started before it throws.
    /// </summary>
    /// <exception cref="SandboxException">A part could not be started (one line).</exception>
    public async Task StartAsync(IReadOnlyList<(string Name, string Region)> layout, int sources, int shards, int replicas, double rate,
        Action<string>? log, CancellationToken ct)
    {
        try
        {
            var tools = ReqliteTools.OfThisProgram();
            await ReqliteTools.EnsureInstalledAsync(tools, log, ct);
            for (var i = 0; i < sources; i++)
            {
                var source = await ReqliteServer.StartAsync(tools, ct);
                _sources.Add(source);
                _pids.Add(source.Process!.Pid);
                log?.Invoke($"reqlite (the federation's RethinkDB) on {source.Endpoint}, pid {source.Process.Pid}");
            }
            _feed = await FederationFeed.StartAsync(_sources, Database, FederationNodes, rate, KeysFile, ct);
            log?.Invoke($"a federation of {FederationNodes} nodes writes {rate:0.##} blocks/s into {Database} (keys in {KeysFile})");

            if (AdminToken is { } token)
                WriteSecret(AdminTokenFile, token);
            var seedPort = FreePort.Next();
            var files = layout.Select((n, i) => new NodeFile(
                n.Name, n.Region, i == 0 ? seedPort : FreePort.Next(), FreePort.Next(), [$"127.0.0.1:{seedPort}"], KeysFile, Path.Combine(workDir, n.Name))
            {
                Sources = _sources.Select(s => s.Endpoint).ToArray(),
                Shards = shards,
                Replicas = replicas,
                Extra = NodeFile.QuickCapture,
                AdminTokenFile = AdminToken is null ? null : AdminTokenFile,
            }).ToArray();
            foreach (var file in files)
                Add(Launch(file, file.WriteTo(workDir)));
            foreach (var node in Nodes)
            {
                await NodeProcess.WaitForStartAsync(node.Process, ct);
                log?.Invoke($"backup node {node.File.Name} ({node.File.Region}) pid {node.Process.Pid}, admin {node.File.AdminUrl}");
            }
        }
        catch
        {
            await StopAsync();
            throw;
        }
    }

    /// <summary>
    /// The first status, read from the first node that answers, for which <paramref name="problem"/> says nothing. On
    /// timeout the message also gives the last lines of every node that exited.
    /// </summary>
    /// <exception cref="TimeoutException">Not within <paramref name="limit"/>.</exception>
    public async Task<ClusterStatus> WaitForAsync(string what, Func<ClusterStatus, string?> problem, TimeSpan limit, Action<ClusterStatus>? seen,
        CancellationToken ct)
    {
        try
        {
            return await StatusWatch.UntilAsync(Status, what, status => Feed.Failure is { } failure
                ? throw new SandboxException($"the simulated federation stopped writing: {failure}")
                : problem(status), limit, seen, ct);
        }
        catch (TimeoutException e) when (ExitedNodes() is { Length: > 0 } exited)
        {
            throw new TimeoutException($"{e.Message}; {exited}", e);
        }
    }

    /// <summary>Until every node is up with its pid published, and every shard has R caught-up replicas.</summary>
    public Task<ClusterStatus> WaitUntilFormedAsync(TimeSpan limit, Action<ClusterStatus>? seen, CancellationToken ct) =>
        WaitForAsync("every node up and every shard at R over as many regions as R and the cluster allow", status => Formed(status, Nodes.Count),
            limit, seen, ct);

    /// <summary>
    /// What keeps the cluster from being formed, or null when every one of <paramref name="nodes"/> nodes is up with its
    /// pid and every shard has R caught-up replicas over as many regions as R and the cluster allow: placement has
    /// settled on the full cluster, not on the first nodes that happened to join.
    /// </summary>
    public static string? Formed(ClusterStatus status, int nodes)
    {
        var up = status.Members.Where(m => m.Status == "up" && m.Reachable && m.Pid is not null).ToArray();
        if (up.Length != nodes)
            return $"{up.Length} of {nodes} nodes up with a pid";
        var regions = Math.Min(status.Replicas, up.Select(m => m.Region).Distinct().Count());
        var lacking = status.Shards.FirstOrDefault(s =>
        {
            var caughtUp = s.Replicas.Where(r => r.Reachable && r.Watermark.HasValue).ToArray();
            return caughtUp.Length < status.Replicas || caughtUp.Select(r => r.Region).Distinct().Count() < regions;
        });
        return lacking is null ? null : $"{lacking.Id} has fewer than {status.Replicas} caught-up replicas over {regions} regions";
    }

    /// <summary>Starts the node again from its node file (its journal and data directory kept) and waits for its startup line.</summary>
    /// <exception cref="SandboxException">It did not start.</exception>
    public async Task<LocalNode> RestartAsync(LocalNode node, CancellationToken ct)
    {
        node.Process.Kill();
        var again = Launch(node.File, node.ConfigPath);
        lock (_nodes) _nodes[_nodes.IndexOf(node)] = again;
        lock (_pids) _pids.Add(again.Process.Pid);
        await NodeProcess.WaitForStartAsync(again.Process, ct);
        return again;
    }

    /// <summary>The last lines of every node that exited, on one line; empty when all run.</summary>
    public string ExitedNodes() =>
        string.Join("; ", Nodes.Where(n => n.Process.HasExited).Select(n => $"{n.File.Name} exited: {n.Process.Tail}"));

    /// <summary>Stops the federation and kills every process started (once; later calls give the same report).</summary>
    public async Task<StopReport> StopAsync()
    {
        if (_stopped is { } done)
            return done;
        if (_feed is not null)
            await _feed.DisposeAsync();
        var left = new List<string>();
        foreach (var source in _sources)
        {
            var pid = source.ProcessId;
            await source.DisposeAsync();
            if (pid is { } p && ProcessKiller.IsRunning(p))
                left.Add($"reqlite pid {p} still runs");
        }
        left.AddRange(_children.KillAll());
        _http?.Dispose();
        lock (_pids) _stopped = new StopReport(_pids.ToArray(), left);
        return _stopped;
    }

    public async ValueTask DisposeAsync() => await StopAsync();

    private HttpClient Http => _http ??= AdminHttp.Create(TimeSpan.FromSeconds(5), AdminToken);

    /// <summary>Writes <paramref name="text"/> to a file only its owner may read.</summary>
    private static void WriteSecret(string path, string text)
    {
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using var file = new FileStream(path, options);
        file.Write(System.Text.Encoding.UTF8.GetBytes(text + "\n"));
    }

    private LocalNode Launch(NodeFile file, string config) =>
        new(file, config, NodeProcess.Start(_children, file.Name, cli, config, workDir));

    private void Add(LocalNode node)
    {
        lock (_nodes) _nodes.Add(node);
        lock (_pids) _pids.Add(node.Process.Pid);
    }
}
