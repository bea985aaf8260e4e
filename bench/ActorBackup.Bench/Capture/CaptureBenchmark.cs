using System.Diagnostics;
using System.Globalization;
using System.Runtime;
using ActorBackup.Cluster.Capture;
using ActorBackup.Cluster.Capture.Queries;
using ActorBackup.Cluster.Capture.Replies;
using ActorBackup.Cluster.Encryption;
using ActorBackup.Cluster.Journal;
using ActorBackup.Cluster.Replica;
using ActorBackup.Cluster.Settings;
using ActorBackup.Ledger.Simulation;
using Akka.Actor;
using Akka.Configuration;
using Microsoft.Data.Sqlite;

namespace ActorBackup.Bench.Capture;

/// <summary>
/// One node, one replica of the votes table (R=1), fed in process with distinct signed votes: captured records per
/// second end to end (recent window, validation on all cores, batches, SQLite journal with fsync, index), beside
/// NSec's raw Ed25519 verify rate on the same votes on all cores in the same run. Target: 0.6x the raw rate or better.
/// With <c>--encrypted</c> the node encrypts at rest (a fresh key file): journal payloads sealed, index ids sealed.
/// </summary>
/// <remarks>
/// The node runs for the whole benchmark, as a node does for days: the feed comes in segments, the first ones warm
/// it up, and the measured ones alternate with the raw verify rounds while the node waits for its next segment.
/// </remarks>
public sealed class CaptureBenchmark : IBenchmark
{
    private const int MaxWarmUpSegments = 6;
    private const int Rounds = 3;

    public string Name => "capture";

    public string Description => "end-to-end capture of votes (validate + batch + fsync'd journal) vs raw NSec Ed25519 verify, all cores [--votes N] [--encrypted]";

    public async Task RunAsync(string[] args, TextWriter output, CancellationToken cancellationToken)
    {
        var votesAt = Array.IndexOf(args, "--votes");
        var count = votesAt >= 0 && votesAt + 1 < args.Length ? int.Parse(args[votesAt + 1], CultureInfo.InvariantCulture) : 40_000;
        var encrypted = args.Contains("--encrypted");
        if (args.Except(["--votes", "--encrypted"]).Count() > (votesAt >= 0 ? 1 : 0))
            throw new ArgumentException($"capture takes [--votes N] [--encrypted], not: {string.Join(' ', args)}");
        output.WriteLine($"Generating {count:N0} votes (deterministic simulator) ... cores: {Environment.ProcessorCount}, {(GCSettings.IsServerGC ? "server" : "workstation")} GC");
        using var simulator = new FederationSimulator(new SimulationOptions("bench-capture", Nodes: 4, TransactionsPerBlock: 1, Clock: SimulationClocks.Virtual(1_700_000_000)));
        var votes = simulator.Generate(count / 4 + 2).SelectMany(r => r.Votes).Take(count).Select(StoredVote.Of).ToArray();
        var raw = votes.Select(RawVoteSignature.Of).ToArray();

        // Every segment is the whole set of signed votes under fresh ids: what is verified is the same work as the
        // raw rounds, and no signature repeats within a segment.
        int[] points = [.. Enumerable.Range(1, MaxWarmUpSegments + Rounds).Select(i => i * count)];
        var dataDirectory = Directory.CreateTempSubdirectory("actorbackup-bench-capture-").FullName;
        try
        {
            var keyFile = Path.Combine(dataDirectory, "at-rest.key");
            if (encrypted) KeyFile.Create(keyFile, overwrite: false);
            var node = ConfigurationFactory.ParseString(
                $"actorbackup {{ data-dir = \"{dataDirectory}/data\", shards = 1, replicas = 1, encryption.key-file = \"{(encrypted ? keyFile : "")}\" }}");
            var settings = BackupSettings.Create(node);
            output.WriteLine(encrypted ? "Encryption at rest on (journal payloads and index ids sealed)" : "Encryption at rest off");
            var config = ConfigurationFactory.ParseString("akka.loglevel = WARNING").WithFallback(node).WithFallback(JournalConfig.For(settings)).WithFallback(BackupConfig.Reference);
            var source = new GatedVoteSource(votes, points);
            var environment = CaptureEnvironment.Create(settings, simulator.Federation) with { Source = source };
            var system = ActorSystem.Create("bench-capture", config);
            try
            {
                var capture = system.ActorOf(CaptureActor.Props(new ReplicaId("votes", 0), environment), "capture-votes-0");
                var segment = 0;

                // Tiered compilation promotes Akka, linq2db and pipeline methods only after they ran a number of
                // times, and per-batch methods run a few hundred times per segment: segments are captured until the
                // JIT compiles fewer than 100 methods in one, so that compiling is not counted against native NSec.
                output.WriteLine("Warming up until the JIT is quiet (segments not counted) ...");
                do
                {
                    var warm = await CaptureSegmentAsync(capture, source, segment, points, output, cancellationToken);
                    segment++;
                    if (warm.JitCompiled < 100 && segment >= 2) break;
                }
                while (segment < MaxWarmUpSegments);

                output.WriteLine($"Measuring, {Rounds} interleaved rounds (raw verify, then a segment of {count:N0} votes) ...");
                var rounds = new List<(Rate Raw, Rate Capture)>();
                for (var round = 0; round < Rounds; round++)
                {
                    var verify = VerifyRate(raw);
                    output.WriteLine($"  raw verify: {verify.Wall:N0}/s, {verify.PerCpuSecond:N0}/CPU-s");
                    rounds.Add((verify, await CaptureSegmentAsync(capture, source, segment++, points, output, cancellationToken)));
                }

                output.WriteLine();
                output.WriteLine($"{"round",5} {"raw per s",10} {"captured per s",15} {"ratio",6} {"raw per CPU-s",14} {"captured per CPU-s",19} {"ratio",6}");
                for (var i = 0; i < rounds.Count; i++)
                {
                    var (r, c) = rounds[i];
                    output.WriteLine($"{i + 1,5} {r.Wall,10:N0} {c.Wall,15:N0} {c.Wall / r.Wall,5:0.00}x {r.PerCpuSecond,14:N0} {c.PerCpuSecond,19:N0} {c.PerCpuSecond / r.PerCpuSecond,5:0.00}x");
                }
                var wall = rounds.Select(r => r.Capture.Wall / r.Raw.Wall).Order().ToArray()[Rounds / 2];
                var cpu = rounds.Select(r => r.Capture.PerCpuSecond / r.Raw.PerCpuSecond).Order().ToArray()[Rounds / 2];
                output.WriteLine();
                output.WriteLine($"capture, median of the rounds: {cpu:0.00}x the raw verify rate per CPU-second ({Verdict(cpu)}), {wall:0.00}x by wall clock ({Verdict(wall)}); target 0.60x");
            }
            finally
            {
                await system.Terminate();
            }
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(dataDirectory, recursive: true);
        }
    }

    private static string Verdict(double ratio) => ratio >= 0.6 ? "met" : "NOT met";

    /// <param name="JitCompiled">Methods the JIT compiled meanwhile.</param>
    private readonly record struct Rate(double Wall, double PerCpuSecond, long JitCompiled = 0)
    {
        public static Rate Of(int operations, TimeSpan wall, TimeSpan cpu, long jitCompiled = 0) =>
            new(operations / wall.TotalSeconds, operations / cpu.TotalSeconds * Environment.ProcessorCount, jitCompiled);
    }

    /// <summary>Opens segment <paramref name="segment"/> of the feed and measures until the replica stored all of it.</summary>
    private static async Task<Rate> CaptureSegmentAsync(IActorRef capture, GatedVoteSource source, int segment, int[] points, TextWriter output, CancellationToken cancellationToken)
    {
        var (from, to) = (segment == 0 ? 0 : points[segment - 1], points[segment]);
        var cpuAtStart = CpuTime();
        var jitAtStart = JitInfo.GetCompiledMethodCount();
        var jitTimeAtStart = JitInfo.GetCompilationTime();
        var ioAtStart = IoCounters.Sample();
        var (allocatedAtStart, pausedAtStart) = (GC.GetTotalAllocatedBytes(), GC.GetTotalPauseDuration());
        var clock = Stopwatch.StartNew();
        if (segment > 0) source.Release(segment - 1);
        CaptureStatus status;
        do
        {
            await Task.Delay(10, cancellationToken);
            status = await capture.Ask<CaptureStatus>(GetCaptureStatus.Instance, TimeSpan.FromSeconds(30), cancellationToken);
            if (status.Quarantined > 0) throw new InvalidOperationException($"{status.Quarantined} generated votes were quarantined: {status.LastError}");
        }
        while (status.StoredCount < to);
        var rate = Rate.Of(to - from, clock.Elapsed, CpuTime() - cpuAtStart, JitInfo.GetCompiledMethodCount() - jitAtStart);
        var io = IoCounters.Sample() - ioAtStart;
        var (allocated, paused) = (GC.GetTotalAllocatedBytes() - allocatedAtStart, GC.GetTotalPauseDuration() - pausedAtStart);
        output.WriteLine($"  {to - from:N0} votes stored in {clock.Elapsed.TotalSeconds:0.00} s: {rate.Wall:N0}/s, {rate.PerCpuSecond:N0}/CPU-s ({rate.JitCompiled:N0} methods JIT-compiled meanwhile in {(JitInfo.GetCompilationTime() - jitTimeAtStart).TotalMilliseconds:N0} ms); "
            + $"per vote {io.Written / (double)(to - from):N0} bytes written, {io.Read / (double)(to - from):N0} read, {allocated / (double)(to - from):N0} allocated; GC pauses {paused.TotalMilliseconds:N0} ms");
        return rate;
    }

    /// <summary>Verifies every signature once on all cores.</summary>
    private static Rate VerifyRate(RawVoteSignature[] signatures)
    {
        var cpu = CpuTime();
        var timer = Stopwatch.StartNew();
        Parallel.For(0, signatures.Length, i =>
        {
            if (!signatures[i].Verify()) throw new InvalidOperationException("A generated vote does not verify.");
        });
        return Rate.Of(signatures.Length, timer.Elapsed, CpuTime() - cpu);
    }

    private static TimeSpan CpuTime()
    {
        using var process = Process.GetCurrentProcess();
        return process.TotalProcessorTime;
    }
}
