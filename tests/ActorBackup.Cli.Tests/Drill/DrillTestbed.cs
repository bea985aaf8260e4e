using ActorBackup.Cli.Verbs.Demo;
using ActorBackup.Cli.Verbs.Drill;
using ActorBackup.Cluster.Settings;
using ActorBackup.Cluster.Status;
using ActorBackup.Testing;

namespace ActorBackup.Cli.Tests.Drill;

/// <summary>
/// What a drill runs against: reqlite sources (one RethinkDB cluster's servers, each written every batch by the
/// simulated federation), and backup node processes (`actorbackup node`, the demo's node files) reading them in
/// order. Disposing kills every process it started, whatever state the test left it in.
/// </summary>
internal sealed class DrillTestbed : IAsyncDisposable
{
    private static readonly TimeSpan FormLimit = TimeSpan.FromSeconds(60);
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "actorbackup-drill-" + Guid.NewGuid().ToString("N"));
    private readonly ChildProcesses _children = new();
    private readonly List<ReqliteServer> _sources = [];
    private FederationFeed? _feed;
    private DemoCluster? _cluster;

    public IReadOnlyList<ReqliteServer> Sources => _sources;

    public FederationFeed Feed => _feed ?? throw new InvalidOperationException("the testbed is not started");

    public DemoCluster Cluster => _cluster ?? throw new InvalidOperationException("the testbed is not started");

    /// <summary>The admin endpoint drills are pointed at: the first node's.</summary>
    public string Admin => Cluster.Nodes[0].File.AdminUrl;

    /// <summary>
    /// Starts the sources, the federation writing into all of them, then the nodes; returns once every shard is at R.
    /// On failure it stops whatever it started: xunit disposes nothing whose initialization threw.
    /// </summary>
    public async Task StartAsync(IReadOnlyList<(string Name, string Region)> layout, int sources, int shards, int replicas)
    {
        try
        {
            Directory.CreateDirectory(_dir);
            await NodeTools.EnsureInstalledAsync();
            for (var i = 0; i < sources; i++)
                _sources.Add(await ReqliteServer.StartAsync());
            var keys = Path.Combine(_dir, "federation-keys.json");
            _feed = await FederationFeed.StartAsync(_sources.Select(s => new HostPort(s.Host, s.Port)).ToArray(), "bigchain", 4, 5, keys, CancellationToken.None);
            _cluster = await DemoCluster.StartAsync(_children, Path.Combine(AppContext.BaseDirectory, "actorbackup.dll"), _dir, layout,
                _sources.Select(s => s.Endpoint).ToArray(), keys, shards, replicas, CancellationToken.None);
            await WaitForAsync("every node up and every shard at R over as many regions as R and the cluster allow", s => Formed(s, layout.Count));
        }
        catch
        {
            await DisposeAsync();
            throw;
        }
    }

    /// <summary>The first status that satisfies <paramref name="done"/>, polled from the first node for up to <see cref="FormLimit"/> (dilated).</summary>
    public async Task<ClusterStatus> WaitForAsync(string what, Func<ClusterStatus, bool> done)
    {
        using var client = new StatusClient(new Uri(Admin), TimeSpan.FromSeconds(5));
        try
        {
            return await Eventually.Passes(async () =>
            {
                string last;
                try
                {
                    var status = await client.GetAsync(CancellationToken.None);
                    if (done(status))
                        return status;
                    last = $"{status.Members.Count} members, {status.Shards.Count(s => s.UnderReplicated)} of {status.Shards.Count} shards under R";
                }
                catch (StatusUnavailableException e)
                {
                    last = e.Message;
                }
                if (Feed.Failure is { } failure)
                    throw new WillNotPassException($"the federation stopped writing: {failure}");
                throw new InvalidOperationException(last);
            }, FormLimit, TimeSpan.FromMilliseconds(250));
        }
        catch (TimeoutException e)
        {
            var exited = string.Join("; ", Cluster.Nodes.Where(n => n.Process.HasExited).Select(n => $"{n.File.Name} exited: {n.Process.Tail}"));
            throw new TimeoutException($"not yet: {what}; {e.Message}{(exited.Length > 0 ? "; " + exited : "")}", e);
        }
    }

    /// <summary>Every member up with its pid, and every shard with R caught-up replicas over min(R, regions) regions.</summary>
    private static bool Formed(ClusterStatus status, int nodes)
    {
        var up = status.Members.Where(m => m.Status == "up" && m.Reachable && m.Pid is not null).ToArray();
        var regions = Math.Min(status.Replicas, up.Select(m => m.Region).Distinct().Count());
        return up.Length == nodes && status.Shards.All(s =>
        {
            var caughtUp = s.Replicas.Where(r => r.Reachable && r.Watermark.HasValue).ToArray();
            return caughtUp.Length >= status.Replicas && caughtUp.Select(r => r.Region).Distinct().Count() >= regions;
        });
    }

    public async ValueTask DisposeAsync()
    {
        if (_feed is not null)
            await _feed.DisposeAsync();
        var left = _children.KillAll();
        foreach (var source in _sources)
            await source.DisposeAsync();
        if (Directory.Exists(_dir))
            Directory.Delete(_dir, recursive: true);
        Assert.Empty(left);
    }
}
