using System.Diagnostics;
using System.Globalization;
using ActorBackup.Admin.Contract.Reconcile;
using ActorBackup.Bench.Capture;
using ActorBackup.Cluster.Node;
using ActorBackup.ReQL.Ast;
using ActorBackup.ReQL.Net;
using ActorBackup.Sandbox;
using ActorBackup.Sandbox.Nodes;
using ActorBackup.Sandbox.Reqlite;
using Akka.Configuration;

namespace ActorBackup.Bench.Sources;

/// <summary>
/// What reconciliation with the source costs the source: one node holding every shard (R = 1) of N records, reaching
/// reqlite through a <see cref="CountingRelay"/>, so every query and byte is counted where the source sees it. Once the
/// node has captured everything, two rounds of every replica are asked for (<c>POST /reconcile</c>): one while the
/// replicas hold exactly what the source holds (each costs a count), then one after <c>--differ</c> records were deleted
/// from the source behind the node's back, so that ranges differ and are split, counted and listed down to the records.
/// The reference is the bytes of one full read of the ledger (what a catch-up scan without a watermark reads).
/// </summary>
public sealed class ReconcileBenchmark : IBenchmark
{
    public string Name => "reconcile";

    public string Description =>
        "source queries, bytes and time of a reconciliation round of every replica, in sync and with records differing, vs one full read [--records 100000] [--shards 64] [--differ 100]";

    public async Task RunAsync(string[] args, TextWriter output, CancellationToken cancellationToken)
    {
        var options = Options.Parse(args);
        var root = Directory.CreateTempSubdirectory("actorbackup-bench-reconcile-").FullName;
        try
        {
            output.WriteLine($"Generating {options.Records:N0} records (block + 3 votes per round) ...");
            var documents = CaptureLatencyBenchmark.Generate(options.Records, 100, root, out var keysFile,
                DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 3600 - options.Records / 100);
            await using var server = await ReqliteServer.StartAsync();
            await SourceLoadBenchmark.LoadAsync(server, documents, cancellationToken);
            await using var relay = new CountingRelay(server.Host, server.Port);
            var file = new NodeFile("node0", "eu-west", FreePort.Next(), FreePort.Next(), [], keysFile, Path.Combine(root, "node0"))
            {
                Sources = [relay.Endpoint],
                Shards = options.Shards,
                Replicas = 1,
                Extra = """
                    actorbackup.catch-up-margin = 30s
                    actorbackup.reconcile.queries-per-second = 10000
                    akka.coordinated-shutdown.run-by-actor-system-terminate = off
                    """,
            };
            file = file with { Seeds = [$"127.0.0.1:{file.Port}"] };
            await using var node = BackupNode.Start(NodeConfiguration.FromConfig(ConfigurationFactory.ParseString(file.Hocon), file.Name));
            var clock = Stopwatch.StartNew();
            await SourceLoadBenchmark.UntilAsync(node, s => SourceLoadBenchmark.Live(s, options.Shards, 1)
                && SourceLoadBenchmark.Records(s) == options.Records
                && s.Shards.All(sh => sh.Replicas.All(r => r.Reconcile?.At is not null)), TimeSpan.FromMinutes(60), cancellationToken);
            output.WriteLine($"captured {options.Records:N0} records and reconciled each replica once in {clock.Elapsed.TotalSeconds:0} s");
            var fullRead = relay.BytesFromSource;

            var inSync = await RoundAsync(node, relay, cancellationToken);
            await DeleteAsync(server, documents, options.Differ, cancellationToken);
            var differing = await RoundAsync(node, relay, cancellationToken);

            var per100k = 100_000.0 / options.Records;
            output.WriteLine();
            output.WriteLine($"{"round",-22} {"replicas",9} {"queries",9} {"bytes",12} {"time",8} {"queries/100k",13} {"bytes/100k",12} {"vs full read",13}");
            foreach (var (name, r) in new[] { ("in sync", inSync), ($"{options.Differ} records differ", differing) })
                output.WriteLine(FormattableString.Invariant(
                    $"{name,-22} {r.Replicas,9} {r.Queries,9:N0} {r.Bytes,12:N0} {r.Time.TotalSeconds,7:0.0}s {r.Queries * per100k,13:N0} {r.Bytes * per100k,12:N0} {(double)r.Bytes / fullRead,12:0.0000}x"));
            output.WriteLine(FormattableString.Invariant($"reference: the first full read of the ledger took {fullRead:N0} bytes from the source"));
            output.WriteLine(FormattableString.Invariant(
                $"reconcile: in sync {(double)inSync.Bytes / fullRead:0.0000}x of a full read, {options.Differ} differing {(double)differing.Bytes / fullRead:0.0000}x; the source lacks {differing.SourceLacks} in the second round"));
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(root, recursive: true);
        }
    }

    private sealed record Round(int Replicas, long Queries, long Bytes, TimeSpan Time, long SourceLacks);

    /// <summary>One round of every replica, asked over the admin endpoint, counted at the relay.</summary>
    private static async Task<Round> RoundAsync(BackupNode node, CountingRelay relay, CancellationToken ct)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromHours(1) };
        var (queries, bytes) = (relay.Starts + relay.Continues, relay.BytesFromSource + relay.BytesToSource);
        var clock = Stopwatch.StartNew();
        using var response = await http.PostAsync(node.AdminUrl + ReconcileReport.Path, new ByteArrayContent([]), ct);
        response.EnsureSuccessStatusCode();
        var report = ReconcileReport.Read(await response.Content.ReadAsStringAsync(ct));
        var time = clock.Elapsed;
        if (report.Replicas.FirstOrDefault(r => r.Error is not null) is { } failed)
            throw new InvalidOperationException($"{failed.Table}/{failed.Shard}: {failed.Error}");
        // The probe of the shared connection keeps asking once a second; those are not the round's.
        var probes = (long)Math.Floor(time.TotalSeconds);
        return new Round(report.Replicas.Count, relay.Starts + relay.Continues - queries - probes,
            relay.BytesFromSource + relay.BytesToSource - bytes, time, report.Replicas.Sum(r => r.SourceLacks));
    }

    /// <summary>Deletes <paramref name="count"/> votes spread over the ledger from the source, directly, not through the relay.</summary>
    private static async Task DeleteAsync(ReqliteServer server, List<CaptureLatencyBenchmark.Document> documents, int count, CancellationToken ct)
    {
        var votes = documents.Where(d => d.Table == "votes").ToArray();
        var step = Math.Max(1, votes.Length / Math.Max(1, count));
        var ids = votes.Where((_, i) => i % step == 0).Take(count).Select(d => (object?)d.Id).ToArray();
        await using var connection = await Connection.ConnectAsync(new ConnectionOptions { Host = server.Host, Port = server.Port }, ct);
        var result = await R.Db("bigchain").Table("votes").GetAll(ids).Delete().RunWriteAsync(connection, ct);
        if (result.Deleted != ids.Length) throw new InvalidOperationException($"deleted {result.Deleted} of {ids.Length} votes");
    }

    private sealed record Options(int Records, int Shards, int Differ)
    {
        public static Options Parse(string[] args)
        {
            var options = new Options(100_000, 64, 100);
            for (var i = 0; i + 1 < args.Length; i += 2)
            {
                var value = int.Parse(args[i + 1], CultureInfo.InvariantCulture);
                options = args[i] switch
                {
                    "--records" => options with { Records = value },
                    "--shards" => options with { Shards = value },
                    "--differ" => options with { Differ = value },
                    var other => throw new ArgumentException($"unknown option {other}"),
                };
            }
            return options;
        }
    }
}
