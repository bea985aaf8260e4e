using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using ActorBackup.Bench.Capture;
using ActorBackup.Cluster.Capture.Sources;
using ActorBackup.Cluster.Journal;
using ActorBackup.Cluster.Reconcile;
using ActorBackup.Cluster.Settings;
using ActorBackup.Cluster.Sharding;
using ActorBackup.Cluster.Sources;
using ActorBackup.Ledger.Validation;
using ActorBackup.ReQL.Ast;
using ActorBackup.ReQL.Net;
using ActorBackup.Sandbox.Reqlite;
using ActorBackup.Testing.Network;
using Akka.Actor;
using Akka.Configuration;
using Akka.Event;

namespace ActorBackup.Bench.Sources;

/// <summary>
/// What a reconciliation round costs the source, measured on the round itself: reqlite is filled with N ledger documents
/// (large batched inserts) and the replicas of one node holding every shard of both tables (R = 1) are filled with the
/// same records directly (<see cref="StoredReplicas"/>), without capture. Rounds of every replica then run through the
/// real <see cref="Cluster.Reconcile.ReconcileActor"/>, driver and reqlite, reaching it through a <see cref="CountingRelay"/>
/// so that queries and bytes are counted where the source sees them. Three passes of one round of every replica: while
/// the replicas hold exactly what the source holds; after <c>--differ</c> records were committed to the source behind
/// the node's back (ranges are split, counted and listed down to the records, and those are fetched, verified and
/// stored); after as many others were deleted from the source (listed and reported, nothing fetched); and, once those
/// are back, after the source lost as many records the replicas hold and gained as many they lack, pair by pair in the
/// same shard, so that every replica's count equals the source's and only the checksum of the ids
/// (<see cref="IdTally"/>) tells them apart. The reference, measured in the same run through the same relay, is one full
/// read of both tables (what a catch-up scan without a watermark reads); reqlite's own cost of one count and of one
/// tally is measured beside it.
/// </summary>
public sealed class ReconcileBenchmark : IBenchmark
{
    private const string Database = "bigchain";
    private static readonly string[] Tables = ["bigchain", "votes"];

    /// <summary>reqlite answers a read of a table only once it went through the whole table: minutes for a million records on a loaded machine.</summary>
    private static readonly TimeSpan SlowAnswers = TimeSpan.FromMinutes(30);

    public string Name => "reconcile";

    public string Description =>
        "source queries, bytes and time of a reconciliation round of every replica, in sync and with records differing, vs one full read [--records 100000] [--shards 64] [--differ 100]";

    public async Task RunAsync(string[] args, TextWriter output, CancellationToken cancellationToken)
    {
        var options = Options.Parse(args);
        var root = Directory.CreateTempSubdirectory("actorbackup-bench-reconcile-").FullName;
        // reqlite keeps every document as JavaScript objects: a million of them need more than Node's default heap.
        if (Environment.GetEnvironmentVariable("NODE_OPTIONS") is null)
            Environment.SetEnvironmentVariable("NODE_OPTIONS", "--max-old-space-size=12288");
        ActorSystem? system = null;
        try
        {
            output.WriteLine($"{DateTime.UtcNow:u} load average {LoadAverage()}, {Environment.ProcessorCount} cores");
            var clock = Stopwatch.StartNew();
            var documents = CaptureLatencyBenchmark.Generate(options.Records, 100, root, out var keysFile,
                DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 3600 - options.Records / 100);
            output.WriteLine($"generated {documents.Count:N0} records (block + 3 votes per round) in {clock.Elapsed.TotalSeconds:0} s");
            // Sets of records that differ, never the same: held back from the source and committed only after the
            // first pass (the replicas never stored them); deleted from the source after the second one; and, for the
            // fourth, held back from both (gained) and as many held, each in the shard of one gained (lost).
            var late = Spread(documents, options.Differ, 0.25);
            var deleted = Spread(documents, options.Differ, 0.75);
            var gained = Spread(documents, options.Differ, 0.5);
            var backIds = late.Concat(gained).Select(d => d.Id).ToHashSet(StringComparer.Ordinal);
            var held = documents.Where(d => !backIds.Contains(d.Id)).ToList();
            var lost = InTheirShards(gained, held.Except(deleted).ToList(), new KeySpace(options.Shards));

            await using var server = await ReqliteServer.StartAsync(cancellationToken);
            await using var direct = await Connection.ConnectAsync(new ConnectionOptions { Host = server.Host, Port = server.Port, ResponseTimeout = SlowAnswers }, cancellationToken);
            clock.Restart();
            await CreateTablesAsync(direct, cancellationToken);
            await InsertAsync(direct, held, cancellationToken);
            output.WriteLine($"reqlite holds {held.Count:N0} of them ({late.Count + gained.Count} held back to commit later), inserted in {clock.Elapsed.TotalSeconds:0} s");

            await using var relay = new CountingRelay(server.Host, server.Port);
            var settings = Settings(root, relay.Endpoint, keysFile, options.Shards);
            system = ActorSystem.Create("bench-reconcile", ConfigurationFactory.ParseString("akka.loglevel = ERROR")
                .WithFallback(JournalConfig.For(settings)).WithFallback(BackupConfig.Reference));
            var replicas = StoredReplicas.Start(system, settings, new LedgerValidator(settings.LoadFederationKeys()));
            clock.Restart();
            await replicas.StoreAsync(held, cancellationToken);
            output.WriteLine($"{replicas.Replicas.Count} replicas ({options.Shards} shards of 2 tables) store them, journal and index, filled directly in {clock.Elapsed.TotalSeconds:0} s");

            var per100k = 100_000.0 / options.Records;
            var reference = await FullReadAsync(relay, cancellationToken);
            output.WriteLine(FormattableString.Invariant(
                $"reference: one full read of both tables through the relay: {reference.Bytes:N0} bytes ({reference.Bytes * per100k:N0} per 100k records) in {reference.Time.TotalSeconds:0.0} s"));
            var count = await CountCostAsync(direct, options.Shards, cancellationToken);
            output.WriteLine(FormattableString.Invariant(
                $"reqlite: one between(...).count() takes {count.Count.WholeTable.TotalMilliseconds:N0} ms over the whole votes table ({count.Votes:N0} votes), {count.Count.OneShard.TotalMilliseconds:N0} ms over one shard's range of it (load average {LoadAverage()})"));
            output.WriteLine(FormattableString.Invariant(
                $"reqlite: one tally (count and checksum of the ids) takes {count.Tally.WholeTable.TotalMilliseconds:N0} ms over the whole votes table, {count.Tally.OneShard.TotalMilliseconds:N0} ms over one shard's range: {count.Tally.OneShard / count.Count.OneShard:0.0}x a count"));
            await using var sessions = new SourceSessions(settings, () => DateTimeOffset.UtcNow, NoLogger.Instance);
            // Capture holds its lease on the source's connection all the time: so does the benchmark, so that the rounds share one connection.
            await using var lease = await sessions.AcquireAsync(0, cancellationToken);
            var rounds = ReconcileRounds.Start(system, replicas, sessions, settings, relay);

            output.WriteLine();
            output.WriteLine($"{"pass",-20} {"replicas",9} {"queries",8} {"frames",7} {"bytes",12} {"time",8} {"slowest",8} {"queries/100k",13} {"bytes/100k",11} {"vs full read",13}  load average");
            async Task<ReconcileRounds.Pass> PassAsync(string name)
            {
                var p = await rounds.RunAsync(cancellationToken);
                output.WriteLine(FormattableString.Invariant(
                    $"{name,-20} {p.Replicas,9} {p.Queries,8:N0} {p.Frames,7:N0} {p.Bytes,12:N0} {p.Time.TotalSeconds,7:0.0}s {p.SlowestReplica.TotalSeconds,7:0.0}s {p.Queries * per100k,13:N0} {p.Bytes * per100k,11:N0} {(double)p.Bytes / reference.Bytes,12:0.000000}x  {LoadAverage()}"));
                return p;
            }
            var inSync = await PassAsync("in sync");
            await InsertAsync(direct, late, cancellationToken);
            var missing = await PassAsync($"{late.Count} missing here");
            await DeleteAsync(direct, deleted, cancellationToken);
            var lacking = await PassAsync($"{deleted.Count} source lacks");
            await InsertAsync(direct, deleted, cancellationToken);
            await DeleteAsync(direct, lost, cancellationToken);
            await InsertAsync(direct, gained, cancellationToken);
            var swapped = await PassAsync($"{lost.Count} lost, {gained.Count} gained");
            if (missing.Found != late.Count || missing.SourceLacks != 0 || lacking.Found != 0 || lacking.SourceLacks != deleted.Count)
                throw new InvalidOperationException(
                    $"the rounds found {missing.Found} of {late.Count} missing records, then {lacking.SourceLacks} of {deleted.Count} the source lacks");
            if (swapped.Found != gained.Count || swapped.SourceLacks != lost.Count)
                throw new InvalidOperationException(
                    $"with counts equal, the rounds found {swapped.Found} of {gained.Count} records the source gained and {swapped.SourceLacks} of {lost.Count} it lost");
            output.WriteLine();
            output.WriteLine(FormattableString.Invariant(
                $"reconcile: {options.Records:N0} records, in sync {(double)inSync.Bytes / reference.Bytes:0.000000}x the bytes of a full read in {inSync.Time.TotalSeconds:0.0} s, {late.Count} missing here {(double)missing.Bytes / reference.Bytes:0.000000}x in {missing.Time.TotalSeconds:0.0} s (all found, verified, stored), {deleted.Count} the source lacks {(double)lacking.Bytes / reference.Bytes:0.000000}x in {lacking.Time.TotalSeconds:0.0} s (all seen), {lost.Count} lost and {gained.Count} gained with counts equal {(double)swapped.Bytes / reference.Bytes:0.000000}x in {swapped.Time.TotalSeconds:0.0} s (all found and seen)"));
        }
        finally
        {
            if (system is not null) await system.Terminate();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(root, recursive: true);
        }
    }

    /// <summary>
    /// The node's settings: every shard here (R = 1), rounds only when asked, no query budget in the way, and answers and
    /// probes waited for as long as reqlite takes to scan a million records.
    /// </summary>
    private static BackupSettings Settings(string root, string source, string keysFile, int shards) =>
        BackupSettings.Create(ConfigurationFactory.ParseString($$"""
            actorbackup {
              data-dir = "{{Path.Combine(root, "node0")}}"
              sources = ["{{source}}"]
              federation-keys = "{{keysFile}}"
              shards = {{shards}}
              replicas = 1
              # No capture runs beside these rounds: nothing to wait for before a fetch.
              reconcile { interval = 1d, queries-per-second = 10000, capture-wait = 0s }
              source { response-timeout = 30m }
              source-probe { interval = 1m, timeout = 10m }
            }
            """));

    /// <summary>
    /// <paramref name="count"/> records spread evenly over the ledger: the <paramref name="offset"/>-th of every stretch of
    /// as many records.
    /// </summary>
    private static List<CaptureLatencyBenchmark.Document> InTheirShards(
        List<CaptureLatencyBenchmark.Document> gained, List<CaptureLatencyBenchmark.Document> held, KeySpace keys)
    {
        var candidates = held.GroupBy(d => (d.Table, keys.ShardOf(d.Id))).ToDictionary(g => g.Key, g => new Queue<CaptureLatencyBenchmark.Document>(g));
        return gained.Select(d => candidates.TryGetValue((d.Table, keys.ShardOf(d.Id)), out var queue) && queue.Count > 0
            ? queue.Dequeue()
            : throw new InvalidOperationException($"no record held in the shard of {d.Table} {d.Id} to lose")).ToList();
    }

    private static List<CaptureLatencyBenchmark.Document> Spread(List<CaptureLatencyBenchmark.Document> documents, int count, double offset)
    {
        var step = Math.Max(1, documents.Count / Math.Max(1, count));
        return documents.Where((_, i) => i % step == (int)(step * offset)).Take(count).ToList();
    }

    private static async Task CreateTablesAsync(Connection connection, CancellationToken ct)
    {
        await R.DbCreate(Database).RunAtomAsync(connection, ct);
        foreach (var table in Tables)
            await R.Db(Database).TableCreate(table).RunAtomAsync(connection, ct);
    }

    /// <summary>Inserts the documents in batches of 5,000, one insert per table each.</summary>
    private static async Task InsertAsync(Connection connection, List<CaptureLatencyBenchmark.Document> documents, CancellationToken ct)
    {
        foreach (var chunk in documents.Chunk(5000))
        {
            foreach (var table in chunk.GroupBy(d => d.Table))
            {
                using var parsed = JsonDocument.Parse("[" + string.Join(",", table.Select(d => Encoding.UTF8.GetString(d.Json))) + "]");
                var result = await R.Db(Database).Table(table.Key).Insert(parsed.RootElement).RunWriteAsync(connection, ct);
                if (result.Errors > 0) throw new InvalidOperationException($"reqlite refused {result.Errors} documents: {result.FirstError}");
            }
        }
    }

    private static async Task DeleteAsync(Connection connection, List<CaptureLatencyBenchmark.Document> documents, CancellationToken ct)
    {
        foreach (var table in documents.GroupBy(d => d.Table))
        {
            var ids = table.Select(d => (object?)d.Id).ToArray();
            var result = await R.Db(Database).Table(table.Key).GetAll(ids).Delete().RunWriteAsync(connection, ct);
            if (result.Deleted != ids.Length) throw new InvalidOperationException($"deleted {result.Deleted} of {ids.Length} {table.Key}");
        }
    }

    private sealed record Reference(long Bytes, TimeSpan Time);

    /// <summary>Every document of both tables, read once on a connection of its own through the relay; its bytes both ways, handshake included.</summary>
    private static async Task<Reference> FullReadAsync(CountingRelay relay, CancellationToken ct)
    {
        var bytes = relay.BytesFromSource + relay.BytesToSource;
        var clock = Stopwatch.StartNew();
        await using (var connection = await Connection.ConnectAsync(new ConnectionOptions { Host = "127.0.0.1", Port = relay.Port, ResponseTimeout = SlowAnswers }, ct))
        {
            foreach (var table in Tables)
            {
                await using var cursor = await R.Db(Database).Table(table).RunCursorAsync(connection, ct);
                await foreach (var _ in cursor.WithCancellation(ct)) { }
            }
        }
        var time = clock.Elapsed;
        // The relay counts a connection's last bytes once it saw them pass: wait until the count stands still.
        long before;
        do
        {
            before = relay.BytesFromSource + relay.BytesToSource;
            await Task.Delay(200, ct);
        }
        while (relay.BytesFromSource + relay.BytesToSource != before);
        return new Reference(before - bytes, time);
    }

    /// <param name="WholeTable">The median time of a query over the whole votes table on its primary key.</param>
    /// <param name="OneShard">The median time of the same over one shard's range of it.</param>
    private sealed record QueryCost(TimeSpan WholeTable, TimeSpan OneShard);

    private sealed record CountCost(long Votes, QueryCost Count, QueryCost Tally);

    /// <summary>
    /// What reqlite takes to answer one count, and one tally (<see cref="IdTally"/>), on a primary key range, on a connection
    /// of its own (not counted at the relay).
    /// </summary>
    private static async Task<CountCost> CountCostAsync(Connection connection, int shards, CancellationToken ct)
    {
        var shard = new KeySpace(shards).Ranges[shards / 2];
        async Task<(JsonElement Answer, TimeSpan Time)> Median(Func<ReqlExpr, ReqlAst> query, string? lower, string? upper)
        {
            var runs = new List<(JsonElement, TimeSpan)>();
            for (var i = 0; i < 3; i++)
            {
                var clock = Stopwatch.StartNew();
                var answer = await query(ScanQuery.Range(Database, "votes", lower, upper)).RunAtomAsync(connection, ct);
                runs.Add((answer, clock.Elapsed));
            }
            return runs.OrderBy(r => r.Item2).ElementAt(1);
        }
        async Task<QueryCost> Cost(Func<ReqlExpr, ReqlAst> query) =>
            new((await Median(query, null, null)).Time, (await Median(query, shard.Lower, shard.Upper)).Time);
        var votes = (await Median(range => range.Count(), null, null)).Answer.GetInt64();
        return new CountCost(votes, await Cost(range => range.Count()), await Cost(IdTally.OfSelection));
    }

    /// <summary>The 1, 5 and 15 minute load averages of the machine.</summary>
    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

    private sealed record Options(int Records, int Shards, int Differ)
    {
        public static Options Parse(string[] args) =>
            BenchArguments.Fold(args, new Options(100_000, 64, 100), new HashSet<string>(),
                (options, name, value) => name switch
                {
                    "--records" => options with { Records = BenchArguments.Int(value) },
                    "--shards" => options with { Shards = BenchArguments.Int(value) },
                    "--differ" => options with { Differ = BenchArguments.Int(value) },
                    var other => throw new ArgumentException($"unknown option {other}"),
                });
    }
}
