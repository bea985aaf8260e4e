using System.Diagnostics;
using System.Globalization;
using System.Runtime;
using ActorBackup.Cluster.Capture;
using ActorBackup.Cluster.Capture.Queries;
using ActorBackup.Cluster.Capture.Replies;
using ActorBackup.Cluster.Journal;
using ActorBackup.Cluster.Replica;
using ActorBackup.Cluster.Settings;
using ActorBackup.Ledger.Simulation;
using Akka.Actor;
using Akka.Configuration;
using Microsoft.Data.Sqlite;

namespace ActorBackup.Bench.Capture;

/// <summary>
/// One node, one replica of the votes table (R=1), fed in process with a million distinct signed votes; after
/// 100k, 250k, 500k and 1M records are stored, the feed pauses, the process collects its garbage (compacting,
/// aggressive) and samples its GC heap and working set. The node keeps record ids in its SQLite index, not in
/// memory, so memory should stay flat. Target: within 20% between 100k and 1M records.
/// </summary>
public sealed class CaptureMemoryBenchmark : IBenchmark
{
    private const int PoolSize = 4096;

    public string Name => "capture-memory";

    public string Description => "node memory after 100k, 250k, 500k and 1M records captured (R=1, in-process feed) [--records N]";

    public async Task RunAsync(string[] args, TextWriter output, CancellationToken cancellationToken)
    {
        var total = args.Length == 2 && args[0] == "--records" ? int.Parse(args[1], CultureInfo.InvariantCulture) : 1_000_000;
        int[] points = [.. new[] { total / 10, total / 4, total / 2, total }.Distinct()];
        output.WriteLine($"Signing a pool of {PoolSize:N0} votes; records are pool votes under fresh ids (the id is not signed) ...");
        using var simulator = new FederationSimulator(new SimulationOptions("bench-memory", Nodes: 4, TransactionsPerBlock: 1, Clock: SimulationClocks.Virtual(1_700_000_000)));
        var pool = simulator.Generate(PoolSize / 4 + 1).SelectMany(r => r.Votes).Take(PoolSize).Select(StoredVote.Of).ToArray();

        var dataDirectory = Directory.CreateTempSubdirectory("actorbackup-bench-memory-").FullName;
        try
        {
            var settings = BackupSettings.Create(ConfigurationFactory.ParseString($"actorbackup {{ data-dir = \"{dataDirectory}\", shards = 1, replicas = 1 }}"));
            var config = ConfigurationFactory.ParseString("akka.loglevel = WARNING").WithFallback(JournalConfig.For(settings)).WithFallback(BackupConfig.Reference);
            var source = new GatedVoteSource(pool, points);
            var environment = CaptureEnvironment.Create(settings, simulator.Federation) with { Source = source };
            var system = ActorSystem.Create("bench-capture-memory", config);
            try
            {
                var capture = system.ActorOf(CaptureActor.Props(new ReplicaId("votes", 0), environment), "capture-votes-0");
                output.WriteLine($"Capturing {total:N0} records, sampling at {string.Join(", ", points.Select(p => p.ToString("N0", CultureInfo.InvariantCulture)))} ...");
                output.WriteLine();
                output.WriteLine($"{"records",11} {"GC heap",10} {"GC committed",13} {"working set",12} {"private",10} {"rate",10}");
                var samples = new List<Sample>();
                var segmentStart = Stopwatch.GetTimestamp();
                for (var i = 0; i < points.Length; i++)
                {
                    await AwaitStoredAsync(capture, points[i], cancellationToken);
                    var rate = (points[i] - (i == 0 ? 0 : points[i - 1])) / Stopwatch.GetElapsedTime(segmentStart).TotalSeconds;
                    var sample = Sample.Take(points[i]);
                    samples.Add(sample);
                    output.WriteLine($"{points[i],11:N0} {Mib(sample.GcHeap),10} {Mib(sample.GcCommitted),13} {Mib(sample.WorkingSet),12} {Mib(sample.Private),10} {rate,8:N0}/s");
                    segmentStart = Stopwatch.GetTimestamp();
                    source.Release(i);
                }
                var (first, last) = (samples[0], samples[^1]);
                var heapRatio = (double)last.GcHeap / first.GcHeap;
                var workingSetRatio = (double)last.WorkingSet / first.WorkingSet;
                output.WriteLine();
                output.WriteLine($"capture-memory: {last.Records:N0} vs {first.Records:N0} records: GC heap {heapRatio:0.00}x, working set {workingSetRatio:0.00}x (target within 1.20x): {(Math.Max(heapRatio, workingSetRatio) <= 1.2 ? "met" : "NOT met")}");
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

    private static string Mib(long bytes) => $"{bytes / 1048576.0:0.0} MiB";

    private static async Task AwaitStoredAsync(IActorRef capture, long count, CancellationToken cancellationToken)
    {
        while (true)
        {
            var status = await capture.Ask<CaptureStatus>(GetCaptureStatus.Instance, TimeSpan.FromSeconds(30), cancellationToken);
            if (status.Quarantined > 0) throw new InvalidOperationException($"{status.Quarantined} generated votes were quarantined: {status.LastError}");
            if (status.StoredCount >= count) return;
            await Task.Delay(100, cancellationToken);
        }
    }

    private sealed record Sample(long Records, long GcHeap, long GcCommitted, long WorkingSet, long Private)
    {
        /// <summary>After a full, compacting, aggressive collection, which also gives unused memory back to the OS.</summary>
        public static Sample Take(long records)
        {
            GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
            GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
            GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
            using var process = Process.GetCurrentProcess();
            return new Sample(records, GC.GetTotalMemory(forceFullCollection: false), GC.GetGCMemoryInfo().TotalCommittedBytes, process.WorkingSet64, process.PrivateMemorySize64);
        }
    }
}
