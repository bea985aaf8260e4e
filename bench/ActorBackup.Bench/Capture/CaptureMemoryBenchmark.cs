using System.Diagnostics;
using System.Globalization;
using System.Runtime;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using ActorBackup.Cluster.Capture;
using ActorBackup.Cluster.Capture.Pipeline;
using ActorBackup.Cluster.Capture.Queries;
using ActorBackup.Cluster.Capture.Replies;
using ActorBackup.Cluster.Capture.Sources;
using ActorBackup.Cluster.Journal;
using ActorBackup.Cluster.Replica;
using ActorBackup.Cluster.Settings;
using ActorBackup.Ledger.Json;
using ActorBackup.Ledger.Simulation;
using Akka;
using Akka.Actor;
using Akka.Configuration;
using Akka.Streams.Dsl;
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

    // Canonical JSON sorts keys, so a vote's bytes start with {"id":" followed by its 36-character UUID.
    private static readonly byte[] IdPrefix = "{\"id\":\""u8.ToArray();

    public string Name => "capture-memory";

    public string Description => "node memory after 100k, 250k, 500k and 1M records captured (R=1, in-process feed) [--records N]";

    public async Task RunAsync(string[] args, TextWriter output, CancellationToken cancellationToken)
    {
        var total = args.Length == 2 && args[0] == "--records" ? int.Parse(args[1], CultureInfo.InvariantCulture) : 1_000_000;
        int[] points = [.. new[] { total / 10, total / 4, total / 2, total }.Distinct()];
        output.WriteLine($"Signing a pool of {PoolSize:N0} votes; records are pool votes under fresh ids (the id is not signed) ...");
        using var simulator = new FederationSimulator(new SimulationOptions("bench-memory", Nodes: 4, TransactionsPerBlock: 1, Clock: SimulationClocks.Virtual(1_700_000_000)));
        var pool = simulator.Generate(PoolSize / 4 + 1).SelectMany(r => r.Votes).Take(PoolSize).Select(WithId).ToArray();

        var dataDirectory = Directory.CreateTempSubdirectory("actorbackup-bench-memory-").FullName;
        try
        {
            var settings = BackupSettings.Create(ConfigurationFactory.ParseString($"actorbackup {{ data-dir = \"{dataDirectory}\", shards = 1, replicas = 1 }}"));
            var config = ConfigurationFactory.ParseString("akka.loglevel = WARNING").WithFallback(JournalConfig.For(settings)).WithFallback(BackupConfig.Reference);
            var source = new GatedSource(pool, points);
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

    private static byte[] WithId(SimulatedDocument vote)
    {
        var document = (JsonObject)JsonNode.Parse(vote.Json)!;
        document["id"] = new Guid(SHA256.HashData(vote.Json).AsSpan(0, 16)).ToString();
        var bytes = CanonicalJson.ToBytes(document);
        if (!bytes.AsSpan().StartsWith(IdPrefix)) throw new InvalidOperationException("A canonical vote does not start with its id.");
        return bytes;
    }

    /// <summary>
    /// Record <c>n</c> is pool vote <c>n mod pool</c> under a fresh random UUID, made when the stream asks for it so that
    /// the benchmark itself holds no records. The feed stops at each sampling point until <see cref="Release"/>.
    /// </summary>
    private sealed class GatedSource(byte[][] pool, int[] points) : ICaptureSource
    {
        private readonly TaskCompletionSource[] _gates = [.. points.Select(_ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously))];

        public void Release(int point) => _gates[point].TrySetResult();

        public Source<CaptureElement, NotUsed> Open(CaptureRequest request)
        {
            var segments = Source.Single<CaptureElement>(new FeedOpened("in-process"));
            for (var i = 0; i < points.Length; i++)
            {
                var (from, to) = (i == 0 ? 0 : points[i - 1], points[i]);
                var gate = i == 0 ? Task.CompletedTask : _gates[i - 1].Task;
                segments = segments.Concat(Source.FromTask(gate.ContinueWith(_ => NotUsed.Instance, TaskScheduler.Default))
                    .ConcatMany(_ => Source.From(Records(from, to))));
            }
            return segments.Concat(Source.Single<CaptureElement>(ScanCompleted.Instance)).Concat(Source.Never<CaptureElement>());
        }

        private IEnumerable<CaptureElement> Records(int from, int to)
        {
            var random = new Random(from);
            var uuid = new byte[16];
            for (var n = from; n < to; n++)
            {
                var vote = pool[n % pool.Length];
                var json = (byte[])vote.Clone();
                random.NextBytes(uuid);
                Encoding.ASCII.GetBytes(new Guid(uuid).ToString(), json.AsSpan(IdPrefix.Length, 36));
                yield return new SourceDocument(json, DocumentOrigin.Scan);
            }
        }
    }
}
