using System.Diagnostics;
using System.Text;
using System.Text.Json;
using ActorBackup.Admin.Contract.Status;
using ActorBackup.Bench.Capture;
using ActorBackup.Cluster.Node;
using ActorBackup.Ledger.Documents;
using ActorBackup.ReQL.Ast;
using ActorBackup.ReQL.Net;
using ActorBackup.Recovery.Restore;
using ActorBackup.Sandbox.Processes;
using ActorBackup.Sandbox.Reqlite;
using ActorBackup.Testing.Network;
using Akka.Actor;

namespace ActorBackup.Bench.Sources;

/// <summary>
/// What backup nodes cost their source. A reqlite per layout, N nodes in this process, each reaching it through its own
/// <see cref="CountingRelay"/>; the nodes capture every record (written once every shard has its replicas, so that they
/// follow it from their changefeeds, or with <c>--written-first</c> before they start, so that catch-up scans of a full
/// source read it), rest, then lose their source while new records are written to it, and catch up when it is back. The source has BigchainDB's indexes, so the catch-up reads
/// blocks through block_timestamp and votes through their blocks. Two layouts in the same run over the same records: one connection per replica (how
/// capture connected before <c>SourceSessions</c>, kept as <c>source.replicas-per-connection = 1</c>), and one
/// connection per source per node (the default).
/// </summary>
public sealed class SourceLoadBenchmark : IBenchmark
{
    private static readonly (string Name, string Hocon)[] Layouts =
    [
        ("per replica", "actorbackup.source.replicas-per-connection = 1"),
        ("per node", ""),
    ];

    public string Name => "source-load";

    public string Description =>
        "connections, queries at rest, bytes per record and reconnect cost at the source, per replica vs per node [--nodes 3] [--shards 64] [--replicas 2] [--records 100000] [--rest-seconds 10] [--new 1000] [--layouts both|node] [--reconcile on|off] [--written-first]";

    public async Task RunAsync(string[] args, TextWriter output, CancellationToken cancellationToken)
    {
        var options = Options.Parse(args);
        var root = Directory.CreateTempSubdirectory("actorbackup-bench-source-load-").FullName;
        try
        {
            output.WriteLine($"Generating {options.Records:N0} records (block + 3 votes per round) ...");
            // Two hours old: older than the catch-up margin and the vote delay (1 h) before the watermark, so that what a
            // catch-up reads is the records written while the source was away.
            var documents = CaptureLatencyBenchmark.Generate(options.Records, 100, root, out var keysFile,
                DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 7200 - options.Records / 100);
            output.WriteLine($"{options.Nodes} nodes, {options.Shards} shards of 2 tables, R = {options.Replicas}; the ledger {(options.WrittenFirst ? "written first" : "followed")}.");
            var results = new List<Result>();
            foreach (var (name, hocon) in options.PerNodeOnly ? Layouts[1..] : Layouts)
            {
                // A source of its own per layout, so that each starts from the same ledger.
                await using var server = await ReqliteServer.StartAsync();
                await CreateTablesAsync(server, cancellationToken);
                if (options.WrittenFirst)
                    await InsertAsync(server, documents, cancellationToken);
                output.WriteLine($"Layout {name}: reqlite on {server.Endpoint}, {(options.WrittenFirst ? "holding the ledger" : "tables empty")}; capturing ...");
                var result = await MeasureAsync(name, hocon, server, keysFile, documents, Path.Combine(root, name.Replace(' ', '-')), options, output, cancellationToken);
                results.Add(result);
            }
            output.WriteLine();
            output.WriteLine($"{"layout",-12} {"conns",6} {"max/node",9} {"captured",10} {"B/record",9} {"queries/s",10} {"new",6} {"catch-up B",11} {"B/new",7} {"catch-up q",11} {"caught up",10}");
            foreach (var r in results)
                output.WriteLine($"{r.Layout,-12} {r.Connections,6} {r.MaxPerNode,9} {r.Captured,10:N0} {r.BytesPerRecord,9:0} {r.QueriesPerSecond,10:0.0} {options.New,6:N0} {r.ReconnectBytes,11:N0} {(double)r.ReconnectBytes / Math.Max(1, options.New),7:0} {r.ReconnectQueries,11:N0} {r.CatchUp.TotalSeconds,9:0.0}s");
            output.WriteLine();
            if (results.Count == 2)
            {
                var (before, after) = (results[0], results[1]);
                output.WriteLine(FormattableString.Invariant(
                    $"source-load: per node vs per replica: connections {after.Connections} vs {before.Connections}, queries/s at rest {after.QueriesPerSecond / before.QueriesPerSecond:0.00}x, bytes/record {after.BytesPerRecord / before.BytesPerRecord:0.00}x, catch-up bytes {(double)after.ReconnectBytes / before.ReconnectBytes:0.00}x, catch-up queries {(double)after.ReconnectQueries / before.ReconnectQueries:0.00}x"));
            }
            var last = results[^1];
            output.WriteLine(FormattableString.Invariant(
                $"source-load: per node, {last.Captured:N0} records held ({(options.WrittenFirst ? "written first" : "followed")}): catch-up of {options.New:N0} new records read {last.ReconnectBytes:N0} B ({(double)last.ReconnectBytes / Math.Max(1, options.New):0} B per new record, {(double)last.ReconnectBytes / (last.BytesPerRecord * last.Captured):0.0000}x of the first capture's bytes)"));
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(root, recursive: true);
        }
    }

    private sealed record Result(
        string Layout, int Connections, int MaxPerNode, long Captured, double BytesPerRecord, double QueriesPerSecond, long ReconnectBytes,
        long ReconnectQueries, TimeSpan CatchUp);

    private static async Task<Result> MeasureAsync(string layout, string hocon, ReqliteServer server, string keysFile,
        List<CaptureLatencyBenchmark.Document> documents, string root, Options options, TextWriter output, CancellationToken cancellationToken)
    {
        var relays = new List<CountingRelay>();
        var nodes = new List<BackupNode>();
        try
        {
            for (var i = 0; i < options.Nodes; i++)
                relays.Add(new CountingRelay(server.Host, server.Port));
            nodes.AddRange(InProcessNodes.Start(options.Nodes, keysFile, root, options.Shards, options.Replicas, i => relays[i].Endpoint, _ => $"""
                actorbackup.catch-up-margin = 30s
                actorbackup.reconcile.enabled = {(options.Reconcile ? "on" : "off")}
                {hocon}
                """));
            var expected = (long)documents.Count * options.Replicas;
            var clock = Stopwatch.StartNew();
            if (!options.WrittenFirst)
                await FollowAsync(nodes[0], server, documents, options.Shards, options.Replicas, output, cancellationToken);
            var captured = await UntilAsync(nodes[0], s => Live(s, options) && Records(s) == expected, TimeSpan.FromMinutes(30), cancellationToken);
            output.WriteLine($"  captured {Records(captured):N0} records on {options.Replicas} replicas in {clock.Elapsed.TotalSeconds:0} s; load average {LoadAverage()}");
            var perNode = relays.Select(r => TcpConnections.To(r.Port)).ToArray();
            var bytes = relays.Sum(r => r.BytesFromSource);

            var queriesBefore = relays.Sum(r => r.Starts + r.Continues);
            await Task.Delay(TimeSpan.FromSeconds(options.RestSeconds), cancellationToken);
            var queriesPerSecond = (double)(relays.Sum(r => r.Starts + r.Continues) - queriesBefore) / options.RestSeconds;

            var restarts = captured.Shards.Sum(s => s.Replicas.Sum(r => r.Restarts));
            var (bytesAtDrop, queriesAtDrop) = (relays.Sum(r => r.BytesFromSource + r.BytesToSource), relays.Sum(r => r.Starts + r.Continues));
            var startedAtDrop = relays.Select(r => r.StartedQueries.Count).ToArray();
            var replicas = captured.Shards.Sum(s => s.Replicas.Count(r => r.Reachable));
            foreach (var relay in relays)
                relay.Hold();
            clock.Restart();
            // Written while every node has lost its source, stamped now: what a catch-up has to read.
            var written = CaptureLatencyBenchmark.Generate(options.New, 100, root, out _, DateTimeOffset.UtcNow.ToUnixTimeSeconds());
            await InsertAsync(server, written, cancellationToken);
            foreach (var relay in relays)
                relay.Release();
            await UntilAsync(nodes[0], s => Live(s, options) && s.Shards.Sum(sh => sh.Replicas.Sum(r => r.Restarts)) >= restarts + replicas
                && Records(s) == expected + (long)options.New * options.Replicas, TimeSpan.FromMinutes(10), cancellationToken);
            var catchUp = clock.Elapsed;
            output.WriteLine($"  caught up in {catchUp.TotalSeconds:0.0} s; load average {LoadAverage()}");
            var started = relays.SelectMany((r, i) => r.StartedQueries.Skip(startedAtDrop[i])).ToList();
            output.WriteLine("  queries started after the source came back: " + string.Join(", ",
                started.GroupBy(QueryKind).OrderByDescending(g => g.Count()).Select(g => $"{g.Count()} {g.Key}")));
            return new Result(layout, perNode.Sum(), perNode.Max(), Records(captured), (double)bytes / Records(captured), queriesPerSecond,
                relays.Sum(r => r.BytesFromSource + r.BytesToSource) - bytesAtDrop, relays.Sum(r => r.Starts + r.Continues) - queriesAtDrop, catchUp);
        }
        finally
        {
            foreach (var node in nodes)
                await node.DisposeAsync();
            foreach (var relay in relays)
                await relay.DisposeAsync();
        }
    }

    /// <summary>The machine's load averages over 1, 5 and 15 minutes, where Linux shows them.</summary>
    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

    /// <summary>What a query the relay saw asks the source, from its ReQL terms (CHANGES 152, COUNT 43, NOW 103, BETWEEN 182, FILTER 39).</summary>
    private static string QueryKind(string query) =>
        query.Contains("\"block_and_voter\"", StringComparison.Ordinal) ? "votes through block_and_voter"
        : query.Contains("[152,", StringComparison.Ordinal) ? "changefeeds"
        : query.Contains("\"block_timestamp\"", StringComparison.Ordinal) ? "blocks through block_timestamp"
        : query.Contains("[43,", StringComparison.Ordinal) ? "counts"
        : query.Contains("[103,", StringComparison.Ordinal) ? "clock probes"
        : query.Contains("[182,", StringComparison.Ordinal) && query.Contains("[39,", StringComparison.Ordinal) ? "key-range scans"
        : "others";

    private static bool Live(ClusterStatus status, Options options) => Live(status, options.Shards, options.Replicas);

    /// <summary>Every shard of both tables has <paramref name="replicas"/> reachable live replicas.</summary>
    internal static bool Live(ClusterStatus status, int shards, int replicas) =>
        status.Shards.Count == 2 * shards
        && status.Shards.All(s => s.Replicas.Count(r => r.Reachable && r.Phase == ReplicaPhases.Live) == replicas);

    internal static long Records(ClusterStatus status) => status.Shards.Sum(s => s.Replicas.Where(r => r.Reachable).Sum(r => r.Records));

    internal static async Task<ClusterStatus> UntilAsync(BackupNode observer, Func<ClusterStatus, bool> done, TimeSpan limit, CancellationToken ct)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            ClusterStatus? status = null;
            try
            {
                status = await observer.Status.CurrentAsync(ct);
            }
            catch (AskTimeoutException)
            {
                // A node busy verifying answers late; the next poll asks again.
            }
            if (status is not null && done(status)) return status;
            if (deadline.Elapsed > limit)
                throw new TimeoutException($"not reached within {limit.TotalMinutes:0} min ({(status is null ? "no status" : $"{Records(status):N0} records on reachable replicas")})");
            await Task.Delay(500, ct);
        }
    }

    /// <summary>
    /// Writes <paramref name="documents"/> to the server (inserts of 2,000) once every shard of both tables has
    /// <paramref name="replicas"/> live replicas, as the nodes see it from <paramref name="observer"/>: the nodes capture
    /// the ledger from their changefeeds as they follow a federation, rather than by catch-up scans of a full source, and
    /// no replica moving while the cluster forms leaves records on a node that no longer owns it.
    /// </summary>
    internal static async Task FollowAsync(BackupNode observer, ReqliteServer server, List<CaptureLatencyBenchmark.Document> documents, int shards,
        int replicas, TextWriter output, CancellationToken ct)
    {
        await UntilAsync(observer, s => Live(s, shards, replicas), TimeSpan.FromMinutes(10), ct);
        output.WriteLine("  every shard placed on its replicas; writing the ledger ...");
        await InsertAsync(server, documents, ct);
    }

    /// <summary>
    /// Creates the database bigchain and its tables bigchain and votes, empty, with the indexes capture's catch-up reads
    /// through, as BigchainDB creates them.
    /// </summary>
    internal static async Task CreateTablesAsync(ReqliteServer server, CancellationToken ct)
    {
        await using var connection = await Connection.ConnectAsync(new ConnectionOptions { Host = server.Host, Port = server.Port }, ct);
        await R.DbCreate("bigchain").RunAtomAsync(connection, ct);
        foreach (var table in new[] { "bigchain", "votes" })
            await R.Db("bigchain").TableCreate(table).RunAtomAsync(connection, ct);
        foreach (var (table, index) in new[] { ("bigchain", LedgerTables.BlockTimestampIndex), ("votes", LedgerTables.BlockAndVoterIndex) })
        {
            await BigchainDbSchema.Find(table, index)!.CreateOn(R.Db("bigchain").Table(table)).RunAtomAsync(connection, ct);
            await R.Db("bigchain").Table(table).IndexWait(index).RunAtomAsync(connection, ct);
        }
    }

    /// <summary>
    /// Inserts the documents into the tables <see cref="CreateTablesAsync"/> made, 2,000 per insert. reqlite, one Node.js
    /// process, evaluates every insert against every changefeed open on it before it answers: with a few hundred feeds
    /// that takes minutes, so the writer waits up to 30 minutes for an answer.
    /// </summary>
    internal static async Task InsertAsync(ReqliteServer server, List<CaptureLatencyBenchmark.Document> documents, CancellationToken ct)
    {
        await using var connection = await Connection.ConnectAsync(
            new ConnectionOptions { Host = server.Host, Port = server.Port, ResponseTimeout = TimeSpan.FromMinutes(30) }, ct);
        foreach (var chunk in documents.Chunk(2000))
        {
            foreach (var table in chunk.GroupBy(d => d.Table))
            {
                using var parsed = JsonDocument.Parse("[" + string.Join(",", table.Select(d => Encoding.UTF8.GetString(d.Json))) + "]");
                var result = await R.Db("bigchain").Table(table.Key).Insert(parsed.RootElement).RunWriteAsync(connection, ct);
                if (result.Errors > 0) throw new InvalidOperationException($"reqlite refused {result.Errors} documents: {result.FirstError}");
            }
        }
    }

    /// <param name="WrittenFirst">The ledger is in the source before the nodes start (captured by catch-up scans), not written while they follow it.</param>
    private sealed record Options(int Nodes, int Shards, int Replicas, int Records, int RestSeconds, int New, bool PerNodeOnly, bool Reconcile, bool WrittenFirst)
    {
        public static Options Parse(string[] args) =>
            BenchArguments.Fold(args, new Options(3, 64, 2, 100_000, 10, 1000, false, true, false), new HashSet<string> { "--written-first" },
                (options, name, value) => name switch
                {
                    "--written-first" => options with { WrittenFirst = true },
                    "--layouts" => options with { PerNodeOnly = value switch { "node" => true, "both" => false, var other => throw new ArgumentException($"--layouts takes both or node, not {other}") } },
                    "--reconcile" => options with { Reconcile = value switch { "on" => true, "off" => false, var other => throw new ArgumentException($"--reconcile takes on or off, not {other}") } },
                    "--new" => options with { New = BenchArguments.Int(value) },
                    "--nodes" => options with { Nodes = BenchArguments.Int(value) },
                    "--shards" => options with { Shards = BenchArguments.Int(value) },
                    "--replicas" => options with { Replicas = BenchArguments.Int(value) },
                    "--records" => options with { Records = BenchArguments.Int(value) },
                    "--rest-seconds" => options with { RestSeconds = BenchArguments.Int(value) },
                    var other => throw new ArgumentException($"unknown option {other}"),
                });
    }
}
