using System.Diagnostics;
using ActorBackup.Bench.Capture;
using ActorBackup.Bench.Sources;
using ActorBackup.Cluster.Node;
using ActorBackup.Sandbox.Reqlite;
using ActorBackup.Testing;
using Npgsql;

namespace ActorBackup.Bench.Storage;

/// <summary>
/// What a backup cluster takes on disk against the ledger it holds. A reqlite the benchmark starts holds a simulated
/// federation's ledger (blocks and every node's votes); three nodes in this process (default settings, SQLite or
/// PostgreSQL journal) capture it until every record is on R replicas, rest until their journals are compacted, stop, and every file of their data directories
/// (SQLite logs checkpointed) and, on PostgreSQL, every table of their databases (after a VACUUM) is added up. The
/// reference is R times the raw JSON of the ledger, the documents as written to the source. Target (issue #15): at
/// most 0.4x on SQLite with 64 shards and R = 2.
/// </summary>
public sealed class StorageBenchmark : IBenchmark
{
    private const int Nodes = 3;
    private const double Target = 0.4;
    private const double Gigabyte = 1e9;

    public string Name => "storage";

    public string Description =>
        "bytes on disk of 3 nodes holding a ledger vs R x its raw JSON [--records 20000] [--shards 64] [--replicas 2] [--transactions-per-block 1] [--journal sqlite|postgresql] [--written-first] [--probe-timeout 10s] [--keep]";

    public async Task RunAsync(string[] args, TextWriter output, CancellationToken cancellationToken)
    {
        var options = Options.Parse(args);
        var root = Directory.CreateTempSubdirectory("actorbackup-bench-storage-").FullName;
        PostgresServer? postgres = null;
        try
        {
            output.WriteLine($"Generating {options.Records:N0} records (block of {options.TransactionsPerBlock} transaction(s) + 3 votes per round) ...");
            // Ending an hour ago, so that no timestamp lies ahead of the nodes' clocks.
            var documents = CaptureLatencyBenchmark.Generate(options.Records, 100, root, out var keysFile,
                DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 3600 - options.Records / 100, options.TransactionsPerBlock);
            var raw = documents.GroupBy(d => d.Table).ToDictionary(t => t.Key, t => (Records: t.Count(), Bytes: t.Sum(d => (long)d.Json.Length)));
            await using var server = await ReqliteServer.StartAsync();
            await SourceLoadBenchmark.CreateTablesAsync(server, cancellationToken);
            if (options.WrittenFirst)
                await SourceLoadBenchmark.InsertAsync(server, documents, cancellationToken);

            string?[] databases = new string?[Nodes];
            if (options.Journal == "postgresql")
            {
                postgres = await PostgresServer.StartAsync();
                for (var i = 0; i < Nodes; i++)
                    databases[i] = await CreateDatabaseAsync(postgres, $"node{i}", cancellationToken);
            }
            output.WriteLine($"reqlite on {server.Endpoint}; {Nodes} nodes, {options.Shards} shards of 2 tables, R = {options.Replicas}, journal {options.Journal} ...");

            var clock = Stopwatch.StartNew();
            await CaptureAsync(server, documents, keysFile, root, databases, options, output, cancellationToken);
            output.WriteLine($"  every record on {options.Replicas} replicas after {clock.Elapsed.TotalSeconds:0} s; nodes stopped.");

            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            var footprints = new List<NodeFootprint>();
            for (var i = 0; i < Nodes; i++)
                footprints.Add(await NodeFootprint.MeasureAsync($"node{i}", InProcessNodes.DirectoryOf(root, i), databases[i], cancellationToken));
            Report(output, raw, footprints, options);
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            if (postgres is not null) await postgres.DisposeAsync();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            if (options.Keep && postgres is null) output.WriteLine($"the nodes' directories are kept under {root}");
            else Directory.Delete(root, recursive: true);
        }
    }

    /// <summary>
    /// Starts the nodes and waits until every shard has its R replicas before the ledger is written (unless it was written
    /// first), so that no replica moving while the cluster forms leaves records on a node that no longer owns it; then
    /// waits until every record is on R replicas, and stops the nodes cleanly.
    /// </summary>
    private static async Task CaptureAsync(ReqliteServer server, List<CaptureLatencyBenchmark.Document> documents, string keysFile, string root,
        string?[] databases, Options options, TextWriter output, CancellationToken cancellationToken)
    {
        var nodes = new List<BackupNode>();
        try
        {
            nodes.AddRange(InProcessNodes.Start(Nodes, keysFile, root, options.Shards, options.Replicas, _ => server.Endpoint, i => (databases[i] is { } database
                ? $"""
                   actorbackup.journal = "postgresql"
                   actorbackup.postgresql.connection-string = "{database}"
                   """
                : "") + (options.ProbeTimeout is { } probe ? $"\nactorbackup.source-probe.timeout = {probe}" : "")));
            if (!options.WrittenFirst)
                await SourceLoadBenchmark.FollowAsync(nodes[0], server, documents, options.Shards, options.Replicas, output, cancellationToken);
            var expected = (long)options.Records * options.Replicas;
            // Counts, not capture phases: a replica whose source probe timed out is stored all the same.
            await SourceLoadBenchmark.UntilAsync(nodes[0],
                s => s.Shards.Count == 2 * options.Shards && s.Shards.All(sh => sh.Replicas.Count(r => r.Reachable) == options.Replicas)
                     && SourceLoadBenchmark.Records(s) == expected,
                TimeSpan.FromMinutes(30), cancellationToken);
            await RestAsync(nodes[0], output, cancellationToken);
        }
        finally
        {
            // Each node releases its replicas (batch finished, index flushed) as it stops.
            foreach (var node in nodes)
                await node.DisposeAsync();
        }
    }

    /// <summary>
    /// Leaves the nodes at rest long enough for every replica to compact what it wrote since its last compaction, as a node
    /// that has followed its source for long has: at rest a replica's watermark moves every
    /// <c>actorbackup.capture.checkpoint-interval</c>, one event each, and it compacts every
    /// <c>actorbackup.storage.compact-every</c> events, so (compact-every + 2) checkpoint intervals cover one compaction.
    /// </summary>
    private static async Task RestAsync(BackupNode node, TextWriter output, CancellationToken ct)
    {
        var settings = node.Configuration.Settings;
        var rest = settings.Capture.CheckpointInterval * (settings.Storage.CompactEvery + 2);
        output.WriteLine($"  every record stored; the nodes rest {rest.TotalSeconds:0} s, so that every replica compacts its last events ...");
        await Task.Delay(rest, ct);
    }

    private static async Task<string> CreateDatabaseAsync(PostgresServer server, string name, CancellationToken ct)
    {
        await using (var connection = new NpgsqlConnection(server.ConnectionString()))
        {
            await connection.OpenAsync(ct);
            await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await create.ExecuteNonQueryAsync(ct);
        }
        // A pool per node, small enough that three stay under the server's max_connections.
        return new NpgsqlConnectionStringBuilder(server.ConnectionString(name)) { Pooling = true, MaxPoolSize = 12 }.ToString();
    }

    private static void Report(TextWriter output, Dictionary<string, (int Records, long Bytes)> raw, List<NodeFootprint> footprints, Options options)
    {
        var records = raw.Values.Sum(t => t.Records);
        var rawBytes = raw.Values.Sum(t => t.Bytes);
        var replicated = rawBytes * options.Replicas;
        var total = footprints.Sum(f => f.Total);
        var journal = options.Journal == "postgresql" ? "journal (PostgreSQL)" : "journal.sqlite";

        output.WriteLine();
        output.WriteLine($"{"table",-10} {"records",9} {"raw JSON B",14} {"B/record",9}");
        foreach (var (table, t) in raw.OrderBy(t => t.Key, StringComparer.Ordinal))
            output.WriteLine($"{table,-10} {t.Records,9:N0} {t.Bytes,14:N0} {(double)t.Bytes / t.Records,9:0}");
        output.WriteLine($"{"ledger",-10} {records,9:N0} {rawBytes,14:N0} {(double)rawBytes / records,9:0}");
        output.WriteLine($"R x raw = {options.Replicas} x {rawBytes:N0} = {replicated:N0} B");
        output.WriteLine();
        output.WriteLine($"{"node",-6} {journal,21} {"index.sqlite",14} {"other",10} {"total",14} {"/ raw",7}");
        foreach (var f in footprints)
            output.WriteLine($"{f.Node,-6} {f.Journal,21:N0} {f.Index,14:N0} {f.Other,10:N0} {f.Total,14:N0} {(double)f.Total / rawBytes,6:0.000}x");
        output.WriteLine($"{"all",-6} {footprints.Sum(f => f.Journal),21:N0} {footprints.Sum(f => f.Index),14:N0} {footprints.Sum(f => f.Other),10:N0} {total,14:N0} {(double)total / rawBytes,6:0.000}x");
        foreach (var f in footprints.Take(1))
        {
            output.WriteLine($"  {f.Node}: {string.Join(", ", f.Files.Concat(f.Tables).OrderByDescending(x => x.Value).Select(x => $"{x.Key} {x.Value:N0}"))}");
        }
        if (options.Journal == "postgresql")
        {
            var rewritten = footprints.Sum(f => f.RewrittenJournal);
            var rewrittenTotal = total - footprints.Sum(f => f.Journal) + rewritten;
            output.WriteLine(FormattableString.Invariant(
                $"after VACUUM FULL (the journal tables rewritten without the space of deleted rows): journal {rewritten:N0} B, all {rewrittenTotal:N0} B = {(double)rewrittenTotal / replicated:0.000}x of R x raw"));
        }
        output.WriteLine();
        var ratio = (double)total / replicated;
        output.WriteLine($"on disk per record (all replicas): {(double)total / records:0} B; per GB of ledger: {total / (double)rawBytes:0.000} GB ({options.Replicas} replicas), {ratio:0.000} GB per replica");
        output.WriteLine();
        output.WriteLine(FormattableString.Invariant(
            $"storage: {Nodes} nodes, {options.Shards} shards, R={options.Replicas}, {options.Journal}, {records:N0} records {(options.WrittenFirst ? "written first" : "followed")}, raw JSON {rawBytes:N0} B: on disk {total:N0} B = {ratio:0.000}x of R x raw (target {Target}x: {(ratio <= Target ? "met" : "NOT met")})"));
    }

    /// <param name="WrittenFirst">The ledger is in the source before the nodes start (captured by catch-up scans), not written while they follow it.</param>
    /// <param name="ProbeTimeout">
    /// <c>actorbackup.source-probe.timeout</c> of the nodes, when not the default: one reqlite answering 256 replicas on a
    /// loaded machine can take longer than 10 s to answer a probe, and every node then reconnects all its replicas, which
    /// catch up and reconcile again and load it more (docs/benchmarks.md: runs that did not finish without it, and runs
    /// that do since). What the nodes store does not depend on it.
    /// </param>
    /// <param name="Keep">The nodes' directories are left in place for inspection (SQLite only: a PostgreSQL server's data goes with it).</param>
    private sealed record Options(int Records, int Shards, int Replicas, int TransactionsPerBlock, string Journal, bool WrittenFirst, string? ProbeTimeout, bool Keep)
    {
        public static Options Parse(string[] args) =>
            BenchArguments.Fold(args, new Options(20_000, 64, 2, 1, "sqlite", false, null, false), new HashSet<string> { "--written-first", "--keep" },
                (options, name, value) => name switch
                {
                    "--written-first" => options with { WrittenFirst = true },
                    "--keep" => options with { Keep = true },
                    "--records" => options with { Records = BenchArguments.Int(value) },
                    "--shards" => options with { Shards = BenchArguments.Int(value) },
                    "--replicas" => options with { Replicas = BenchArguments.Int(value) },
                    "--transactions-per-block" => options with { TransactionsPerBlock = BenchArguments.Int(value) },
                    "--probe-timeout" => options with { ProbeTimeout = value },
                    "--journal" => options with
                    {
                        Journal = value is "sqlite" or "postgresql" ? value : throw new ArgumentException($"--journal is sqlite or postgresql, not {value}"),
                    },
                    var other => throw new ArgumentException($"unknown option {other}"),
                });
    }
}
