using System.Diagnostics;
using ActorBackup.Bench.Capture;
using ActorBackup.Bench.Sources;
using ActorBackup.Cluster.Node;
using ActorBackup.Sandbox.Reqlite;
using Microsoft.Data.Sqlite;

namespace ActorBackup.Bench.Storage;

/// <summary>
/// What a backup cluster writes to its journals while its source writes nothing: three nodes (SQLite journals) follow a
/// reqlite holding a small ledger until every record is on R replicas, settle, and then the rows each node's journal
/// appends in a window at rest are counted (the growth of its <c>ordering</c> column, which deletions do not lower).
/// Twice in one run: first with <c>actorbackup.capture.point-rest-step = 0s</c> (capture's point persisted at every
/// checkpoint, as before the step existed) as the reference, then with the default step.
/// </summary>
public sealed class AtRestBenchmark : IBenchmark
{
    private const int Nodes = 3;

    public string Name => "at-rest";

    public string Description =>
        "journal rows written per second by 3 idle nodes, capture points at every checkpoint vs the default step [--records 2000] [--shards 64] [--replicas 2] [--settle 30s] [--window 60s]";

    public async Task RunAsync(string[] args, TextWriter output, CancellationToken cancellationToken)
    {
        var options = Options.Parse(args);
        var reference = await PassAsync("point at every checkpoint (point-rest-step = 0s)", "actorbackup.capture.point-rest-step = 0s", options, output, cancellationToken);
        var stepped = await PassAsync("default point-rest-step", "", options, output, cancellationToken);
        output.WriteLine();
        output.WriteLine(FormattableString.Invariant(
            $"at rest: {Nodes} nodes, {options.Shards} shards, R={options.Replicas}: {stepped:0.0} journal rows/s with the default step against {reference:0.0} at every checkpoint = {stepped / reference:0.00}x"));
    }

    /// <returns>Journal rows the nodes appended per second in the window, all nodes together.</returns>
    private static async Task<double> PassAsync(string name, string hocon, Options options, TextWriter output, CancellationToken ct)
    {
        output.WriteLine($"{name}:");
        var root = Directory.CreateTempSubdirectory("actorbackup-bench-at-rest-").FullName;
        var documents = CaptureLatencyBenchmark.Generate(options.Records, 100, root, out var keysFile,
            DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 3600 - options.Records / 100);
        // Disposed after the nodes, which stop while their source still answers.
        await using var server = await ReqliteServer.StartAsync();
        var nodes = new List<BackupNode>();
        try
        {
            await SourceLoadBenchmark.CreateTablesAsync(server, ct);
            await SourceLoadBenchmark.InsertAsync(server, documents, ct);
            nodes.AddRange(InProcessNodes.Start(Nodes, keysFile, root, options.Shards, options.Replicas, _ => server.Endpoint, _ => hocon));
            var expected = (long)options.Records * options.Replicas;
            var clock = Stopwatch.StartNew();
            await SourceLoadBenchmark.UntilAsync(nodes[0],
                s => SourceLoadBenchmark.Live(s, options.Shards, options.Replicas) && SourceLoadBenchmark.Records(s) == expected,
                TimeSpan.FromMinutes(20), ct);
            output.WriteLine($"  every record on {options.Replicas} live replicas after {clock.Elapsed.TotalSeconds:0} s; settling {options.Settle.TotalSeconds:0} s ...");
            await Task.Delay(options.Settle, ct);
            // Placement differs from one cluster to the next: rows are compared per replica held.
            var held = (await nodes[0].Status.CurrentAsync(ct)).Shards.SelectMany(s => s.Replicas).GroupBy(r => r.Node).ToDictionary(g => g.Key, g => g.Count());

            var before = Enumerable.Range(0, Nodes).Select(i => HighestOrdering(root, i)).ToArray();
            var window = Stopwatch.StartNew();
            await Task.Delay(options.Window, ct);
            var after = Enumerable.Range(0, Nodes).Select(i => HighestOrdering(root, i)).ToArray();
            var seconds = window.Elapsed.TotalSeconds;
            var rows = 0L;
            for (var i = 0; i < Nodes; i++)
            {
                rows += after[i] - before[i];
                var replicas = held.GetValueOrDefault(nodes[i].Address);
                output.WriteLine(FormattableString.Invariant(
                    $"  node{i}: {replicas} replicas, {after[i] - before[i]:N0} journal rows in {seconds:0} s ({(after[i] - before[i]) / seconds:0.0}/s, {(after[i] - before[i]) / seconds / Math.Max(1, replicas) * 60:0.0} a minute per replica)"));
            }
            return rows / seconds;
        }
        finally
        {
            foreach (var node in nodes)
                await node.DisposeAsync();
            SqliteConnection.ClearAllPools();
            Directory.Delete(root, recursive: true);
        }
    }

    /// <summary>The highest <c>ordering</c> of a node's SQLite journal, read beside the running node.</summary>
    private static long HighestOrdering(string root, int node)
    {
        var file = Path.Combine(InProcessNodes.DirectoryOf(root, node), "journal.sqlite");
        using var connection = new SqliteConnection($"Data Source={file};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT coalesce(max(ordering), 0) FROM journal";
        return (long)cmd.ExecuteScalar()!;
    }

    private sealed record Options(int Records, int Shards, int Replicas, TimeSpan Settle, TimeSpan Window)
    {
        public static Options Parse(string[] args) =>
            BenchArguments.Fold(args, new Options(2000, 64, 2, TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(60)), new HashSet<string>(),
                (options, name, value) => name switch
                {
                    "--records" => options with { Records = BenchArguments.Int(value) },
                    "--shards" => options with { Shards = BenchArguments.Int(value) },
                    "--replicas" => options with { Replicas = BenchArguments.Int(value) },
                    "--settle" => options with { Settle = Seconds(value) },
                    "--window" => options with { Window = Seconds(value) },
                    var other => throw new ArgumentException($"unknown option {other}"),
                });

        private static TimeSpan Seconds(string? value) =>
            value is not null && value.EndsWith('s') && int.TryParse(value[..^1], out var s) && s > 0
                ? TimeSpan.FromSeconds(s)
                : throw new ArgumentException($"expected a number of seconds such as 30s, not \"{value}\"");
    }
}
