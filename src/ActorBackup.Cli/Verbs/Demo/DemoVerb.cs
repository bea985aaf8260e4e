using System.Diagnostics;
using System.Runtime.InteropServices;
using ActorBackup.Admin.Contract.Status;
using ActorBackup.Cli.CommandLine;
using ActorBackup.Cli.Verbs.Drill;
using ActorBackup.Recovery.Scratch;
using ActorBackup.ReQL.Net;
using ActorBackup.Sandbox;
using ActorBackup.Sandbox.Nodes;

namespace ActorBackup.Cli.Verbs.Demo;

/// <summary>
/// `actorbackup demo`: everything on this machine in a few minutes. A reqlite source, a simulated federation writing
/// into it, three backup node processes over two regions (a <see cref="LocalCluster"/>); then a drill (one node
/// SIGKILLed while the federation keeps writing) and a restore; then a summary. Every process it started is killed
/// however it ends.
/// </summary>
public sealed class DemoVerb : IVerb
{
    public string Name => "demo";

    public string Summary => "Run a source, a simulated federation and a 3-node backup cluster here; kill a node; show what was kept.";

    public IReadOnlyList<OptionSpec> Options { get; } =
    [
        new("rate", "BLOCKS_PER_S", "Blocks the simulated federation writes per second (each with 4 votes).", "5"),
        new("warmup", "SECONDS", "Capture this long with every node up before killing one.", "20"),
        new("shards", "N", "Shards per table, 1 to 64.", "8"),
        SharedOptions.Timeout("Longest wait for the cluster to form, and for it to recover after the kill.", 60, 5, 3600),
        new("work-dir", "DIR", "Where node files, keys and journals go (default: a new temporary directory, removed at the end)."),
        OptionSpec.Flag("keep-running", "After the summary, leave everything running (and writing) until Ctrl-C, and print how to reach it."),
        SharedOptions.Json("Print only a one-line JSON summary."),
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
        string cli;
        try
        {
            RepositoryRoot.OfThisProgram();
            cli = NodeProcess.CliOfThisProgram();
        }
        catch (SandboxException e)
        {
            throw new CliError(e.Message);
        }

        var ownWorkDir = settings.WorkDir is null;
        var workDir = Path.GetFullPath(settings.WorkDir ?? Path.Combine(Path.GetTempPath(), "actorbackup-demo-" + Guid.NewGuid().ToString("N")[..8]));
        Directory.CreateDirectory(workDir);
        var cluster = new LocalCluster(workDir, cli);
        try
        {
            var summary = await DemoDisplay.RunAsync(output, settings.Json, display => RunDemoAsync(settings, cluster, display, output, cancellationToken));
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
        catch (Exception e) when (e is SandboxException or TimeoutException)
        {
            throw new CliError(e.Message);
        }
        finally
        {
            var stopped = await cluster.StopAsync();
            if (!settings.Json)
            {
                output.WriteLine(stopped.Left.Count == 0
                    ? $"actorbackup demo: stopped every process it started (pids {string.Join(", ", stopped.Pids)})"
                    : $"actorbackup demo: could not stop {string.Join("; ", stopped.Left)}");
            }
            if (ownWorkDir)
                TryDelete(workDir, output);
        }
    }

    private static async Task<DemoSummary> RunDemoAsync(DemoSettings settings, LocalCluster cluster, DemoDisplay display, TextWriter output, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        await cluster.StartAsync(LocalCluster.DemoLayout, sources: 1, settings.Shards, DemoSettings.Replicas, settings.Rate, display.Event, ct);
        var feed = cluster.Feed;
        Action<ClusterStatus> Show(string phase) => status => display.Show(DemoSnapshot.Of(phase, clock.Elapsed, feed, status));

        var status = await cluster.WaitUntilFormedAsync(settings.Limit, Show("forming"), ct);
        display.Event($"every shard has {status.Replicas} caught-up replicas; capturing for {settings.Warmup.TotalSeconds:0} s");

        var warm = Stopwatch.StartNew();
        await cluster.WaitForAsync("the warm-up", _ => warm.Elapsed >= settings.Warmup ? null : "warming up", settings.Warmup + settings.Limit,
            Show("capturing"), ct);

        // The drill kills the second node; the status is read from the first that answers, so from a survivor.
        var victim = cluster.Nodes[1];
        var runner = new DrillRunner(async token =>
        {
            var s = await cluster.Status.GetAsync(token);
            Show("drill")(s);
            return s;
        }, settings.Limit, display.Event);
        var victimEntry = new DrillVictim("backup node " + victim.File.Name, victim.File.Address, victim.File.Region, victim.Process.Pid);
        var drill = await runner.RunAsync("kill-node", [victimEntry], victim.Process.Kill, ct);
        if (feed.Failure is { } failure)
            throw new CliError($"the simulated federation stopped writing: {failure}");

        display.Event("restoring into a scratch database");
        var source = cluster.Sources[0];
        var server = new ConnectionOptions { Host = source.Host, Port = source.Port };
        var scratch = new ScratchTarget(server, $"bigchain_restored_{DateTimeOffset.UtcNow.ToUnixTimeSeconds()}", Keep: true);
        var restore = await ScratchRestore.RunAsync(cluster.Nodes[0].File.AdminUrl, cluster.AdminToken, scratch, new ComparedSource(server, LocalCluster.Database), ct);
        var final = await cluster.Status.GetAsync(ct);
        Show("done")(final);
        var summary = new DemoSummary(feed.Blocks, feed.Votes, final, drill, restore, clock.Elapsed);

        if (settings.KeepRunning)
        {
            summary.WriteText(output);
            WriteHowToReach(output, cluster, victim);
            await cluster.WaitForAsync("Ctrl-C", _ => "running until Ctrl-C", Timeout.InfiniteTimeSpan, Show("running"), ct);
        }
        return summary;
    }

    private static Action<PosixSignalContext> Stop(CancellationTokenSource stop) => context =>
    {
        context.Cancel = true;
        stop.Cancel();
    };

    private static void WriteHowToReach(TextWriter w, LocalCluster cluster, LocalNode killed)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "actorbackup.dll");
        var source = cluster.Sources[0];
        w.WriteLine();
        w.WriteLine("The demo keeps running until Ctrl-C (the federation goes on writing). To look at it:");
        foreach (var node in cluster.Nodes.Where(n => n != killed))
        {
            w.WriteLine($"  {node.File.Name} ({node.File.Region}) pid {node.Process.Pid}: dotnet {dll} status --admin {node.File.AdminUrl}");
            w.WriteLine($"      metrics {node.File.AdminUrl}metrics, node file {node.ConfigPath}");
        }
        w.WriteLine($"  restart the killed node: dotnet {dll} node --config {killed.ConfigPath}");
        w.WriteLine($"  a drill: dotnet {dll} drill --admin {cluster.Nodes[0].File.AdminUrl} --scenario kill-node --scratch {source.Endpoint}");
        w.WriteLine($"  source: reqlite on {source.Endpoint} (pid {source.ProcessId}), database {LocalCluster.Database}; keys {cluster.KeysFile}");
        w.Flush();
    }

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
