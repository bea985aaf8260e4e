using System.Diagnostics;
using ActorBackup.Admin.Contract.Access;
using ActorBackup.Admin.Contract.Status;
using ActorBackup.Sandbox;
using ActorBackup.Sandbox.Federation;
using ActorBackup.Sandbox.Nodes;
using ActorBackup.Sandbox.Processes;
using ActorBackup.Sandbox.Reqlite;
using ActorBackup.Testing.Network;
using Xunit.Abstractions;

namespace ActorBackup.Cli.Tests.Partition;

/// <summary>
/// A network partition between two regions, with real parts: three `actorbackup node` processes in two network
/// namespaces (region a: one node; region b: two), a reqlite source on the host that both reach, a simulated
/// federation writing throughout, and iptables dropping every packet between the namespaces.
/// </summary>
[Collection(ClusterProcesses.Name)]
public sealed class PartitionTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Shards = 4;
    private const int Replicas = 2;
    private const string Database = "bigchain";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    // Three node processes starting at once on a loaded two-core machine can take most of a minute to form a cluster.
    private static readonly TimeSpan FormingPatience = TimeSpan.FromSeconds(90);
    // Failure detection (about 1.5 s with the nodes' settings), placement and a catch-up scan fit well in it; the
    // partition also outlasts the nodes' transport failure detector, so associations are dropped and made again.
    private static readonly TimeSpan CaptureAfterPartition = TimeSpan.FromSeconds(5);

    private readonly string _dir = Path.Combine(Path.GetTempPath(), "actorbackup-partition-" + Guid.NewGuid().ToString("N"));
    private readonly ChildProcesses _children = new();
    private static readonly string AdminToken = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
    private readonly HttpClient _http = AdminHttp.Create(TimeSpan.FromSeconds(5), AdminToken);
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private IsolatedNetwork? _network;
    private ReqliteServer? _source;
    private FederationFeed? _feed;

    public Task InitializeAsync()
    {
        Directory.CreateDirectory(_dir);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        if (_feed is not null)
            await _feed.DisposeAsync();
        var left = _children.KillAll();
        if (_source is not null)
            await _source.DisposeAsync();
        _http.Dispose();
        if (_network is not null)
            await _network.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
        Assert.Empty(left);
    }

    [Fact]
    public async Task Each_side_of_a_partition_keeps_capturing_and_after_healing_every_shard_converges_on_R_replicas_equal_to_the_source()
    {
        var (source, sideA, sideB) = await StartClusterAsync();
        var (a, b) = (_network!.Namespaces[0], _network.Namespaces[1]);
        var nodes = sideA.Concat(sideB).ToArray();

        var partitionedAt = DateTimeOffset.UtcNow;
        await _network.PartitionAsync(a, b);
        var threshold = partitionedAt + CaptureAfterPartition;
        foreach (var (side, other) in new[] { (sideA, sideB), (sideB, sideA) })
        {
            await Eventually($"side {side[0].Region} sees the other unreachable and captures every shard past the partition", side[0], Patience, status =>
                Members(status, reachable: side, unreachable: other)
                ?? EveryShard(status, s => CapturedOnSide(s, side, threshold)));
        }
        Log("both sides captured past the partition");
        foreach (var side in new[] { sideA, sideB })
            await AssertSideHoldsWhatTheSourceWroteAfterThePartition(side, source.Port, partitionedAt);

        await _network.HealAsync();
        await AssertConvergesOnTheSourceAsync(nodes, source.Port);
    }

    [Fact]
    public async Task A_region_cut_off_from_the_source_claims_nothing_it_does_not_hold_while_the_other_keeps_capturing_and_after_healing_both_converge()
    {
        var (source, sideA, sideB) = await StartClusterAsync();
        var (a, b) = (_network!.Namespaces[0], _network.Namespaces[1]);
        var nodes = sideA.Concat(sideB).ToArray();

        var cutAt = DateTimeOffset.UtcNow;
        await _network.PartitionAsync(a, b);
        await _network.CutOffFromHostPortAsync(a, source.Port);
        // The rule takes effect somewhere between cutAt and now (iptables is slow on a loaded machine): a source
        // question answered in between is honest evidence, so the claim is bounded by when the cut was surely in place.
        var lostBy = DateTimeOffset.UtcNow;
        await Eventually($"side {sideB[0].Region} sees the other unreachable and captures every shard past the partition", sideB[0], Patience, status =>
            Members(status, reachable: sideB, unreachable: sideA)
            ?? EveryShard(status, s => CapturedOnSide(s, sideB, cutAt + CaptureAfterPartition)));
        await AssertSideHoldsWhatTheSourceWroteAfterThePartition(sideB, source.Port, cutAt);
        Log($"side {sideB[0].Region} captured past the partition");

        await Eventually($"side {sideA[0].Region} sees the other unreachable and reports every replica without a source", sideA[0], Patience, status =>
            Members(status, reachable: sideA, unreachable: sideB) ?? EveryShard(status, s => WithoutSource(s, sideA)));
        // By now side b captured seconds past the cut: a side claiming by the clock would show it here.
        var status = await StatusOf(sideA[0]);
        var written = await SourceLedger.ReadAsync("127.0.0.1", source.Port, Database, Shards);
        var claimable = lostBy.AddSeconds(-NamespacedNode.CatchUpMarginSeconds);
        foreach (var shard in status.Shards)
        {
            foreach (var replica in shard.Replicas.Where(r => r.Reachable))
            {
                var watermark = replica.Watermark!.Value;
                Assert.True(watermark.ToUnixTimeSeconds() <= claimable.ToUnixTimeSeconds(),
                    $"{replica.Node} claims {shard.Id} up to {watermark:O}, but lost its source by {lostBy:O} (margin {NamespacedNode.CatchUpMarginSeconds} s)");
                var mustHold = written.CountUpTo(shard.Id, watermark);
                Assert.True(replica.Records >= mustHold,
                    $"{replica.Node} holds {replica.Records} records of {shard.Id}, the source has {mustHold} up to its watermark {watermark:O}");
            }
        }
        var lowest = status.Shards.Min(s => s.Replicas.Where(r => r.Reachable).Min(r => r.Watermark!.Value));
        Assert.NotNull(status.RestorablePoint);
        Assert.True(status.RestorablePoint <= lowest,
            $"side {sideA[0].Region} reports a restorable point {status.RestorablePoint:O} past its lowest watermark {lowest:O}");
        Log($"side {sideA[0].Region} claims up to {lowest:O}, restorable point {status.RestorablePoint:O}, cut at {cutAt:O}");

        await _network.HealAsync();
        await AssertConvergesOnTheSourceAsync(nodes, source.Port);
    }

    /// <summary>
    /// The network, the source, the federation writing to it, and the three nodes (region a: one; region b: two) once
    /// every shard is captured on R replicas in both regions.
    /// </summary>
    private async Task<(ReqliteServer Source, NamespacedNode[] SideA, NamespacedNode[] SideB)> StartClusterAsync()
    {
        _network = await IsolatedNetwork.CreateAsync("a", "b");
        var (a, b) = (_network.Namespaces[0], _network.Namespaces[1]);
        var source = _source = await ReqliteServer.StartAsync();
        var keys = Path.Combine(_dir, "federation-keys.json");
        _feed = await FederationFeed.StartAsync([source], Database, 4, 5, keys, CancellationToken.None);

        NamespacedNode[] sideA = [new("a1", "region-a", a, 4053, 8558)];
        NamespacedNode[] sideB = [new("b1", "region-b", b, 4053, 8558), new("b2", "region-b", b, 4054, 8559)];
        var nodes = sideA.Concat(sideB).ToArray();
        var seeds = new[] { sideA[0], sideB[0] };
        var tokenFile = Path.Combine(_dir, "admin.token");
        await File.WriteAllTextAsync(tokenFile, AdminToken);
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(tokenFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var processes = nodes.Select(n => n.Start(_children, _dir,
            n.File(_dir, $"{_network.HostAddress}:{source.Port}", keys, seeds, Shards, Replicas, tokenFile))).ToArray();
        foreach (var process in processes)
            await NodeProcess.WaitForStartAsync(process, CancellationToken.None);
        await Eventually("the cluster forms and every shard is captured on R replicas in both regions", sideA[0], FormingPatience, status =>
            Members(status, reachable: nodes, unreachable: []) ?? EveryShard(status, s => Converged(s)));
        Log("cluster formed");
        return (source, sideA, sideB);
    }

    /// <summary>Stops the federation, then waits until every node sees R replicas per shard equal to what the source holds.</summary>
    private async Task AssertConvergesOnTheSourceAsync(NamespacedNode[] nodes, int sourcePort)
    {
        await _feed!.DisposeAsync();
        _feed = null;
        var written = await SourceLedger.ReadAsync("127.0.0.1", sourcePort, Database, Shards);
        foreach (var node in nodes)
        {
            await Eventually($"{node.Name} sees the healed cluster converge on the source's {written.Total} records", node, Patience, status =>
                Members(status, reachable: nodes, unreachable: [])
                ?? EveryShard(status, s => Converged(s) ?? EqualToSource(s, written)));
        }
        Log($"converged on {written.Total} records");
    }

    private async Task AssertSideHoldsWhatTheSourceWroteAfterThePartition(NamespacedNode[] side, int sourcePort, DateTimeOffset partitionedAt)
    {
        var status = await StatusOf(side[0]);
        var written = await SourceLedger.ReadAsync("127.0.0.1", sourcePort, Database, Shards);
        long afterPartition = 0;
        foreach (var shard in status.Shards)
        {
            foreach (var replica in shard.Replicas.Where(r => r.Reachable))
            {
                var mustHold = written.CountUpTo(shard.Id, replica.Watermark!.Value);
                Assert.True(replica.Records >= mustHold,
                    $"{replica.Node} holds {replica.Records} records of {shard.Id}, the source has {mustHold} up to its watermark {replica.Watermark:O}");
            }
            var lowest = shard.Replicas.Where(r => r.Reachable).Min(r => r.Watermark!.Value);
            afterPartition += written.CountUpTo(shard.Id, lowest) - written.CountUpTo(shard.Id, partitionedAt);
        }
        Assert.True(afterPartition > 0, $"side {side[0].Region}: no record written after the partition is under its watermarks yet");
        Log($"side {side[0].Region} holds {afterPartition} records written after the partition");
    }

    private static string? Members(ClusterStatus status, IEnumerable<NamespacedNode> reachable, IEnumerable<NamespacedNode> unreachable)
    {
        foreach (var node in reachable)
        {
            if (!status.Members.Any(m => m.Address == node.Address && m.Reachable && m.Status == "up"))
                return $"{node.Name} is not an up and reachable member";
        }
        foreach (var node in unreachable)
        {
            if (!status.Members.Any(m => m.Address == node.Address && !m.Reachable))
                return $"{node.Name} is not seen unreachable";
        }
        return null;
    }

    private static string? EveryShard(ClusterStatus status, Func<ShardStatus, string?> check) =>
        status.Shards.Count != 2 * Shards
            ? $"{status.Shards.Count} shards listed"
            : status.Shards.Select(s => check(s) is { } problem ? $"{s.Id}: {problem}" : null).FirstOrDefault(p => p is not null);

    private static string? Converged(ShardStatus shard)
    {
        var reachable = shard.Replicas.Where(r => r.Reachable).ToArray();
        if (reachable.Length != Replicas)
            return $"{reachable.Length} reachable replicas";
        if (reachable.Select(r => r.Region).Distinct().Count() != Replicas)
            return $"replicas in regions {string.Join(", ", reachable.Select(r => r.Region))}";
        return reachable.Any(r => r.Watermark is null) ? "a replica has no watermark yet" : null;
    }

    private static string? CapturedOnSide(ShardStatus shard, NamespacedNode[] side, DateTimeOffset threshold) =>
        OnSide(shard, side, reachable => reachable.FirstOrDefault(r => r.Watermark is null || r.Watermark < threshold) is { } behind
            ? $"{behind.Node} has watermark {behind.Watermark:O} (phase {behind.Phase}, last error {behind.LastError}), not past {threshold:O}"
            : null);

    private static string? WithoutSource(ShardStatus shard, NamespacedNode[] side) =>
        OnSide(shard, side, reachable => reachable.FirstOrDefault(r => r.Phase is not (ReplicaPhases.Connecting or ReplicaPhases.Backoff) || r.Watermark is null) is { } still
            ? $"{still.Node} is {still.Phase} with watermark {still.Watermark:O} (source {still.Source}, last error {still.LastError})"
            : null);

    /// <summary>Checks the shard's reachable replicas once they are all on the side and as many as it holds (R, or fewer if it has fewer nodes).</summary>
    private static string? OnSide(ShardStatus shard, NamespacedNode[] side, Func<ShardReplica[], string?> check)
    {
        var reachable = shard.Replicas.Where(r => r.Reachable).ToArray();
        var expected = Math.Min(Replicas, side.Length);
        if (reachable.Any(r => side.All(n => n.Address != r.Node)))
            return "a replica across the partition counts as reachable";
        return reachable.Length != expected ? $"{reachable.Length} reachable replicas, {expected} expected" : check(reachable);
    }

    private static string? EqualToSource(ShardStatus shard, SourceLedger written) =>
        shard.Replicas.Where(r => r.Reachable).FirstOrDefault(r => r.Records != written.Count(shard.Id) || r.Digest != written.Digest(shard.Id)) is { } differs
            ? $"{differs.Node} holds {differs.Records} records (digest {differs.Digest[..12]}), the source {written.Count(shard.Id)} (digest {written.Digest(shard.Id)[..12]})"
            : null;

    private async Task Eventually(string what, NamespacedNode node, TimeSpan patience, Func<ClusterStatus, string?> problem)
    {
        try
        {
            await StatusWatch.UntilAsync(new StatusClient(_http, node.AdminUrl), $"{what} (as {node.Name} sees it)", problem, patience, null, CancellationToken.None);
        }
        catch (TimeoutException e)
        {
            var tails = string.Join(Environment.NewLine, _children.Started.Where(c => c.HasExited).Select(c => $"{c.Name} exited: {c.Tail}"));
            Assert.Fail($"{e.Message}{Environment.NewLine}{tails}");
        }
    }

    private Task<ClusterStatus> StatusOf(NamespacedNode node) => new StatusClient(_http, node.AdminUrl).GetAsync(CancellationToken.None);

    private void Log(string line) => output.WriteLine($"{_clock.Elapsed.TotalSeconds,6:0.0} s  {line}");
}
