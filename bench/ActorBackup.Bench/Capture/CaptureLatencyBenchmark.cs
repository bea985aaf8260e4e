using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using ActorBackup.Cluster.Node;
using ActorBackup.Cluster.Replica.Notifications;
using ActorBackup.Ledger.Simulation;
using ActorBackup.ReQL.Ast;
using ActorBackup.ReQL.Net;
using ActorBackup.Sandbox;
using ActorBackup.Sandbox.Nodes;
using ActorBackup.Sandbox.Reqlite;
using Akka.Actor;
using Akka.Configuration;

namespace ActorBackup.Bench.Capture;

/// <summary>
/// A reqlite the benchmark starts, three backup nodes in this process (two regions, R = 2, SQLite journals with
/// fsync), and a simulated federation writing blocks and votes to reqlite at a steady rate. For every record, the
/// time from just before its insert was sent to the moment the second of its replicas had it durable (journal
/// confirmed, observed through <see cref="RecordsDurable"/> on each node's event stream). Target: p99 under 250 ms
/// at 200 records/s.
/// </summary>
public sealed class CaptureLatencyBenchmark : IBenchmark
{
    private const int Shards = 8;

    public string Name => "capture-latency";

    public string Description => "source write to durable on both replicas, reqlite + 3 nodes, R=2 [--rate N] [--seconds N] [--max-latency 200ms]";

    public async Task RunAsync(string[] args, TextWriter output, CancellationToken cancellationToken)
    {
        var options = Options.Parse(args);
        var root = Directory.CreateTempSubdirectory("actorbackup-bench-latency-").FullName;
        var nodes = new List<BackupNode>();
        ReqliteServer? server = null;
        try
        {
            output.WriteLine($"Generating {options.Rate * (options.Seconds + WarmUpSeconds):N0} records (block + 3 votes per round) ...");
            var documents = Generate(options.Rate * (options.Seconds + WarmUpSeconds), options.Rate, root, out var keysFile);

            server = await ReqliteServer.StartAsync();
            await using var connection = await Connection.ConnectAsync(new ConnectionOptions { Host = server.Host, Port = server.Port }, cancellationToken);
            await R.DbCreate("bigchain").RunAtomAsync(connection, cancellationToken);
            await R.Db("bigchain").TableCreate("bigchain").RunAtomAsync(connection, cancellationToken);
            await R.Db("bigchain").TableCreate("votes").RunAtomAsync(connection, cancellationToken);

            var durable = new DurableLog();
            var seedPort = FreePort.Next();
            var regions = new[] { "eu-west", "eu-west", "us-east" };
            for (var i = 0; i < regions.Length; i++)
            {
                var port = i == 0 ? seedPort : FreePort.Next();
                var hocon = NodeHocon(root, keysFile, $"node{i}", regions[i], port, seedPort, server.Endpoint, options.MaxLatency);
                var node = BackupNode.Start(NodeConfiguration.FromConfig(ConfigurationFactory.ParseString(hocon), $"node{i}"));
                nodes.Add(node);
                var observer = node.System.ActorOf(Props.Create(() => new DurableObserver(i, durable)), "bench-durable-observer");
                node.System.EventStream.Subscribe(observer, typeof(RecordsDurable));
            }
            output.WriteLine($"Three nodes started (batch.max-latency = {options.MaxLatency}); waiting until every shard has two replicas ...");
            await AwaitPlacementAsync(nodes[0], cancellationToken);

            var warmUp = documents.Take(options.Rate * WarmUpSeconds).ToList();
            var measured = documents.Skip(warmUp.Count).ToList();
            output.WriteLine($"Warm-up: {warmUp.Count:N0} records over {WarmUpSeconds} s ...");
            await WriteAtRateAsync(connection, warmUp, options.Rate, durable, cancellationToken);
            await durable.AwaitBothAsync(warmUp.Select(d => d.Id), TimeSpan.FromSeconds(60), cancellationToken);

            output.WriteLine($"Measuring: {measured.Count:N0} records at {options.Rate}/s for {options.Seconds} s ...");
            await WriteAtRateAsync(connection, measured, options.Rate, durable, cancellationToken);
            var missing = await durable.AwaitBothAsync(measured.Select(d => d.Id), TimeSpan.FromSeconds(30), cancellationToken);

            var latencies = measured.Select(d => durable.LatencyOf(d.Id)).OfType<TimeSpan>().Select(t => t.TotalMilliseconds).Order().ToArray();
            output.WriteLine();
            output.WriteLine($"{"records",9} {"p50",9} {"p95",9} {"p99",9} {"max",9}   (ms, source write to durable on both replicas)");
            output.WriteLine($"{latencies.Length,9:N0} {Percentile(latencies, 0.50),9:0.0} {Percentile(latencies, 0.95),9:0.0} {Percentile(latencies, 0.99),9:0.0} {latencies[^1],9:0.0}");
            if (missing > 0) output.WriteLine($"{missing} records were not durable on two replicas within 30 s of the last write");
            var p99 = Percentile(latencies, 0.99);
            output.WriteLine();
            output.WriteLine($"capture-latency: p99 {p99:0} ms at {options.Rate} records/s (target under 250 ms): {(p99 < 250 && missing == 0 ? "met" : "NOT met")}");
        }
        finally
        {
            // Nodes first: a node outliving its source logs a failed attempt per replica.
            foreach (var node in nodes)
                await node.DisposeAsync();
            if (server is not null) await server.DisposeAsync();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(root, recursive: true);
        }
    }

    private const int WarmUpSeconds = 5;

    private sealed record Options(int Rate, int Seconds, string MaxLatency)
    {
        public static Options Parse(string[] args)
        {
            var options = new Options(200, 60, "200ms");
            for (var i = 0; i + 1 < args.Length; i += 2)
            {
                options = args[i] switch
                {
                    "--rate" => options with { Rate = int.Parse(args[i + 1], CultureInfo.InvariantCulture) },
                    "--seconds" => options with { Seconds = int.Parse(args[i + 1], CultureInfo.InvariantCulture) },
                    "--max-latency" => options with { MaxLatency = args[i + 1] },
                    var other => throw new ArgumentException($"unknown option {other}"),
                };
            }
            return options;
        }
    }

    internal sealed record Document(string Table, string Id, byte[] Json);

    /// <summary>
    /// Rounds of a block and three votes, timestamped at the rate they will be written from <paramref name="start"/> (now
    /// by default), and the federation's key file.
    /// </summary>
    internal static List<Document> Generate(int count, int rate, string root, out string keysFile, long? start = null, int transactionsPerBlock = 1)
    {
        var first = start ?? DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var calls = 0L;
        using var simulator = new FederationSimulator(new SimulationOptions(
            "bench-latency", Nodes: 3, TransactionsPerBlock: transactionsPerBlock, Clock: () => first + calls++ / rate));
        keysFile = Path.Combine(root, "federation-keys.json");
        File.WriteAllText(keysFile, simulator.KeyFile());
        return simulator.Generate(count / 4 + 1)
            .SelectMany(round => round.Votes.Select(StoredVote.Of).Select(json => new Document("votes", StoredVote.IdOf(json), json)).Prepend(new Document("bigchain", round.Block.BlockId, round.Block.Json)))
            .Take(count)
            .ToList();
    }

    /// <summary>Writes in ticks of about 10 ms, each tick's records in one insert per table, noting each record's write time.</summary>
    private static async Task WriteAtRateAsync(IConnection connection, List<Document> documents, int rate, DurableLog durable, CancellationToken cancellationToken)
    {
        var perTick = Math.Max(1, rate / 100);
        var ticksPerSecond = (double)rate / perTick;
        var clock = Stopwatch.StartNew();
        for (var (tick, next) = (0, 0); next < documents.Count; tick++, next += perTick)
        {
            var due = TimeSpan.FromSeconds(tick / ticksPerSecond);
            if (due > clock.Elapsed) await Task.Delay(due - clock.Elapsed, cancellationToken);
            foreach (var table in documents.Skip(next).Take(perTick).GroupBy(d => d.Table))
            {
                var now = Stopwatch.GetTimestamp();
                foreach (var d in table) durable.Written(d.Id, now);
                using var parsed = JsonDocument.Parse("[" + string.Join(",", table.Select(d => Encoding.UTF8.GetString(d.Json))) + "]");
                var result = await R.Db("bigchain").Table(table.Key).Insert(parsed.RootElement).RunWriteAsync(connection, cancellationToken);
                if (result.Errors > 0) throw new InvalidOperationException($"reqlite refused {result.Errors} documents: {result.FirstError}");
            }
        }
    }

    private static async Task AwaitPlacementAsync(BackupNode observer, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var status = await observer.Status.CurrentAsync(cancellationToken);
            if (status.Shards.Count == 2 * Shards && status.Shards.All(s => s.Replicas.Count(r => r.Reachable) == 2)) return;
            if (deadline.Elapsed > TimeSpan.FromSeconds(60))
                throw new TimeoutException($"The cluster did not place every shard on two replicas within 60 s ({status.Shards.Count} shards known).");
            await Task.Delay(200, cancellationToken);
        }
    }

    private static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];

    /// <summary>
    /// The sandbox's node file with reference.conf's own timings (only placement is quick, so the measurement starts
    /// sooner), the batch latency under test, and shutdown left to the benchmark.
    /// </summary>
    private static string NodeHocon(string root, string keysFile, string name, string region, int port, int seedPort, string source, string maxLatency) =>
        new NodeFile(name, region, port, FreePort.Next(), [$"127.0.0.1:{seedPort}"], keysFile, Path.Combine(root, name))
        {
            Sources = [source],
            Shards = Shards,
            Tuning = "actorbackup.node.placement-debounce = 200ms",
            Extra = $"""
                actorbackup.batch.max-latency = {maxLatency}
                akka.coordinated-shutdown.run-by-actor-system-terminate = off
                """,
        }.Hocon;

    /// <summary>Per record: when it was written, and when each node first had it durable.</summary>
    private sealed class DurableLog
    {
        private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);

        private sealed class Entry
        {
            public long Written;
            public int Nodes;
            public long First = -1;
            public long Both = -1;
        }

        public void Written(string id, long at)
        {
            lock (_entries) _entries[id] = new Entry { Written = at };
        }

        public void Durable(int node, IEnumerable<string> ids, long at)
        {
            lock (_entries)
            {
                foreach (var id in ids)
                {
                    if (!_entries.TryGetValue(id, out var entry) || (entry.Nodes & (1 << node)) != 0) continue;
                    entry.Nodes |= 1 << node;
                    if (entry.First < 0) entry.First = at;
                    else if (entry.Both < 0) entry.Both = at;
                }
            }
        }

        public TimeSpan? LatencyOf(string id)
        {
            lock (_entries)
                return _entries.TryGetValue(id, out var e) && e.Both >= 0 ? Stopwatch.GetElapsedTime(e.Written, e.Both) : null;
        }

        /// <summary>Waits until every record is durable on two nodes or the patience runs out; returns how many are not.</summary>
        public async Task<int> AwaitBothAsync(IEnumerable<string> ids, TimeSpan patience, CancellationToken cancellationToken)
        {
            var all = ids.ToList();
            var deadline = Stopwatch.StartNew();
            while (true)
            {
                var missing = all.Count(id => LatencyOf(id) is null);
                if (missing == 0 || deadline.Elapsed > patience) return missing;
                await Task.Delay(100, cancellationToken);
            }
        }
    }

    private sealed class DurableObserver : ReceiveActor
    {
        public DurableObserver(int node, DurableLog log) =>
            Receive<RecordsDurable>(d => log.Durable(node, d.Records.Select(r => r.Id), Stopwatch.GetTimestamp()));
    }
}
