using System.Diagnostics;
using System.Runtime.InteropServices;
using ActorBackup.Cli.CommandLine;
using ActorBackup.Cli.Verbs.Drill;
using ActorBackup.Cluster.Status;
using ActorBackup.ReQL.Local;

namespace ActorBackup.Cli.Verbs.Demo;

/// <summary>
/// `actorbackup demo`: everything on this machine in a few minutes. A reqlite source, a simulated federation writing
/// into it, three backup node processes over two regions; then a drill (one node SIGKILLed while the federation
/// keeps writing) and a restore; then a summary. Every process it started is killed however it ends.
/// </summary>
public sealed class DemoVerb : IVerb
{
    private const string Database = "bigchain";
    private const int FederationNodes = 4;
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(500);

    public string Name => "demo";

    public string Summary => "Run a source, a simulated federation and a 3-node backup cluster here; kill a node; show what was kept.";

    public IReadOnlyList<OptionSpec> Options { get; } =
    [
        new("rate", "BLOCKS_PER_S", "Blocks the simulated federation writes per second (each with 4 votes).", "5"),
        new("warmup", "SECONDS", "Capture this long with every node up before killing one.", "20"),
        new("shards", "N", "Shards per table, 1 to 64.", "8"),
        new("timeout", "SECONDS", "Longest wait for the cluster to form, and for it to recover after the kill.", "60"),
        new("work-dir", "DIR", "Where node files, keys and journals go (default: a new temporary directory, removed at the end)."),
        OptionSpec.Flag("keep-running", "After the summary, leave everything running (and writing) until Ctrl-C, and print how to reach it."),
        OptionSpec.Flag("json", "Print only a one-line JSON summary."),
    ];

    public IReadOnlyList<string> Examples { get; } =
    [
        "actorbackup demo",
        "actorbackup demo --keep-running",
        "actorbackup demo --warmup 5 --rate 10 --json",
    ];

    public void Check(ParsedArgs args) => DemoSettings.From(args, Name);

    public async Task<int> RunAsync(ParsedArgs args, TextWriter output, CancellationToken interrupted)
    {
        // SIGTERM and SIGHUP (a closed terminal) end the demo like Ctrl-C does, through the finally that kills
        // its processes; left to the runtime they would end it without running it.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(interrupted);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop(stop));
        using var sighup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, Stop(stop));
        var cancellationToken = stop.Token;
        var settings = DemoSettings.From(args, Name);
        var root = RepositoryRoot.Find(AppContext.BaseDirectory)
            ?? throw new CliError($"no ActorBackup.sln above {AppContext.BaseDirectory}: the demo runs from a build in a clone of the repository (it needs tools/reqlite)");
        var cli = Path.Combine(AppContext.BaseDirectory, "actorbackup.dll");
        if (!File.Exists(cli))
            throw new CliError($"{cli} is missing: the demo starts its backup nodes from the built CLI next to it");
        var reqlite = new ReqliteLauncher(Path.Combine(root, "tools", "reqlite"));
        await reqlite.EnsureInstalledAsync(settings.Json ? TextWriter.Null : output, cancellationToken);

        var ownWorkDir = settings.WorkDir is null;
        var workDir = Path.GetFullPath(settings.WorkDir ?? Path.Combine(Path.GetTempPath(), "actorbackup-demo-" + Guid.NewGuid().ToString("N")[..8]));
        Directory.CreateDirectory(workDir);
        var children = new ChildProcesses();
        try
        {
            var summary = await DemoDisplay.RunAsync(output, settings.Json, display => RunDemoAsync(settings, reqlite, cli, workDir, children, display, output, cancellationToken));
            if (settings.Json)
            {
                await output.WriteLineAsync(summary.ToJson());
            }
            else
            {
                summary.WriteText(output);
            }
            return summary.Passed ? ExitCodes.Ok : ExitCodes.VerificationFailed;
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested && !interrupted.IsCancellationRequested)
        {
            throw new CliError("stopped by a signal", ExitCodes.Interrupted);
        }
        finally
        {
            var pids = children.Started.Select(c => c.Pid).ToArray();
            var left = children.KillAll();
            if (!settings.Json)
            {
                output.WriteLine(left.Count == 0
                    ? $"actorbackup demo: stopped every process it started (pids {string.Join(", ", pids)})"
                    : $"actorbackup demo: could not stop {string.Join("; ", left)}");
            }
            if (ownWorkDir)
                TryDelete(workDir, output);
        }
    }

    private static async Task<DemoSummary> RunDemoAsync(
        DemoSettings settings, ReqliteLauncher reqlite, string cli, string workDir, ChildProcesses children, DemoDisplay display, TextWriter output, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        var source = await reqlite.StartAsync(children, ct);
        display.Event($"reqlite (the federation's RethinkDB) on {source.Endpoint}, pid {source.Pid}");

        var keysFile = Path.Combine(workDir, "federation-keys.json");
        await using var feed = await FederationFeed.StartAsync(source, Database, FederationNodes, settings.Rate, keysFile, ct);
        display.Event($"a federation of {FederationNodes} nodes writes {settings.Rate:0.##} blocks/s into {Database} (keys in {keysFile})");

        var cluster = await DemoCluster.StartAsync(children, cli, workDir, source.Endpoint, keysFile, settings.Shards, DemoSettings.Replicas, ct);
        foreach (var node in cluster.Nodes)
            display.Event($"backup node {node.File.Name} ({node.File.Region}) pid {node.Process.Pid}, admin {node.File.AdminUrl}");

        // The drill kills the second node; survivors come first so the status is read from a live node.
        var victim = cluster.Nodes[1];
        var survivors = cluster.Nodes.Where(n => n != victim).Select(n => new Uri(n.File.AdminUrl)).Append(new Uri(victim.File.AdminUrl)).ToArray();
        using var client = new StatusClient(survivors, TimeSpan.FromSeconds(5));

        var status = await WatchAsync("forming", client, feed, display, clock, settings.Limit, s => Formed(s, cluster.Nodes.Count), ct)
            ?? throw new CliError($"the cluster did not reach R={DemoSettings.Replicas} on every shard within {settings.Limit.TotalSeconds:0} s: {Tails(cluster)}");
        display.Event($"every shard has {status.Replicas} caught-up replicas; capturing for {settings.Warmup.TotalSeconds:0} s");

        var warm = Stopwatch.StartNew();
        await WatchAsync("capturing", client, feed, display, clock, settings.Warmup, _ => warm.Elapsed >= settings.Warmup, ct);
        FailIfFeedStopped(feed);

        var runner = new DrillRunner(async token =>
        {
            var s = await client.GetAsync(token);
            display.Show(DemoSnapshot.Of("drill", clock.Elapsed, feed, s));
            return s;
        }, settings.Limit, display.Event);
        var victimEntry = new DrillVictim("backup node " + victim.File.Name, victim.File.Address, victim.File.Region, victim.Process.Pid);
        var drill = await runner.RunAsync("kill-node", [victimEntry], () => ChildProcesses.Kill(victim.Process), ct);
        FailIfFeedStopped(feed);

        display.Event("restoring into a scratch database");
        var restore = await DemoRestore.RunAsync(survivors[0], source, Database, ct);
        var final = await client.GetAsync(ct);
        display.Show(DemoSnapshot.Of("done", clock.Elapsed, feed, final));
        var summary = new DemoSummary(feed.Blocks, feed.Votes, final, drill, restore, clock.Elapsed);

        if (settings.KeepRunning)
        {
            summary.WriteText(output);
            WriteHowToReach(output, source, cluster, victim, keysFile);
            await WatchAsync("running", client, feed, display, clock, Timeout.InfiniteTimeSpan, _ => false, ct);
        }
        return summary;
    }

    /// <summary>
    /// Every node is up and every shard has R caught-up replicas over as many regions as R and the cluster allow:
    /// placement has settled on the full cluster, not on the first nodes that happened to join.
    /// </summary>
    private static bool Formed(ClusterStatus status, int nodes)
    {
        var up = status.Members.Where(m => m.Status == "up" && m.Reachable).ToArray();
        var regions = Math.Min(status.Replicas, up.Select(m => m.Region).Distinct().Count());
        return up.Length == nodes && status.Shards.All(s =>
        {
            var caughtUp = s.Replicas.Where(r => r.Reachable && r.Watermark.HasValue).ToArray();
            return caughtUp.Length >= status.Replicas && caughtUp.Select(r => r.Region).Distinct().Count() >= regions;
        });
    }

    private static Action<PosixSignalContext> Stop(CancellationTokenSource stop) => context =>
    {
        context.Cancel = true;
        stop.Cancel();
    };

    /// <summary>Shows the cluster every poll until <paramref name="done"/> holds or <paramref name="limit"/> passes; the last status, or null at the limit.</summary>
    private static async Task<ClusterStatus?> WatchAsync(
        string phase, StatusClient client, FederationFeed feed, DemoDisplay display, Stopwatch clock, TimeSpan limit, Func<ClusterStatus, bool> done, CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        while (limit == Timeout.InfiniteTimeSpan || watch.Elapsed < limit)
        {
            try
            {
                var status = await client.GetAsync(ct);
                display.Show(DemoSnapshot.Of(phase, clock.Elapsed, feed, status));
                if (done(status))
                    return status;
            }
            catch (StatusUnavailableException)
            {
                // Nodes still starting their admin endpoint: keep polling until the limit.
            }
            await Task.Delay(PollInterval, ct);
        }
        return null;
    }

    private static void FailIfFeedStopped(FederationFeed feed)
    {
        if (feed.Failure is { } failure)
            throw new CliError($"the simulated federation stopped writing: {failure}");
    }

    private static void WriteHowToReach(TextWriter w, ReqliteProcess source, DemoCluster cluster, DemoNode killed, string keysFile)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "actorbackup.dll");
        w.WriteLine();
        w.WriteLine("The demo keeps running until Ctrl-C (the federation goes on writing). To look at it:");
        foreach (var node in cluster.Nodes.Where(n => n != killed))
        {
            w.WriteLine($"  {node.File.Name} ({node.File.Region}) pid {node.Process.Pid}: dotnet {dll} status --admin {node.File.AdminUrl}");
            w.WriteLine($"      metrics {node.File.AdminUrl}metrics, node file {node.ConfigPath}");
        }
        w.WriteLine($"  restart the killed node: dotnet {dll} node --config {killed.ConfigPath}");
        w.WriteLine($"  a drill: dotnet {dll} drill --admin {cluster.Nodes[0].File.AdminUrl} --scenario kill-node --scratch {source.Endpoint}");
        w.WriteLine($"  source: reqlite on {source.Endpoint} (pid {source.Pid}), database {Database}; keys {keysFile}");
        w.Flush();
    }

    private static string Tails(DemoCluster cluster) =>
        string.Join("; ", cluster.Nodes.Where(n => n.Process.HasExited).Select(n => $"{n.File.Name} exited: {n.Process.Tail}")) is { Length: > 0 } t ? t : "every node still runs";

    private static void TryDelete(string dir, TextWriter output)
    {
        try
        {
            Directory.Delete(dir, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            output.WriteLine($"actorbackup demo: could not remove {dir}: {e.Message}");
        }
    }
}
