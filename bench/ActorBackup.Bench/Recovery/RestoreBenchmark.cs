using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using ActorBackup.Recovery.Archive;
using ActorBackup.Recovery.Restore;
using ActorBackup.ReQL.Net;
using ActorBackup.Sandbox.Reqlite;
using ActorBackup.Testing;

namespace ActorBackup.Bench.Recovery;

/// <summary>
/// Restore throughput into reqlite: our engine (parallel writers, 200-row batches) against the official JavaScript
/// driver inserting the same documents in sequential 200-row batches as <c>rethinkdb import</c>'s writer does
/// (timed inside the node script). Each side writes into a fresh reqlite. Args: [documents, default 50000].
/// </summary>
public sealed class RestoreBenchmark : IBenchmark
{
    private const string Script = """
        const r = require('rethinkdb');
        const fs = require('fs');
        const [file, port] = process.argv.slice(2);
        (async () => {
          const docs = fs.readFileSync(file, 'utf8').split('\n').filter(l => l.length > 0).map(l => JSON.parse(l));
          const conn = await r.connect({ host: '127.0.0.1', port: Number(port) });
          await r.dbCreate('bench').run(conn);
          await r.db('bench').tableCreate('bigchain').run(conn);
          const start = process.hrtime.bigint();
          for (let i = 0; i < docs.length; i += 200) {
            const batch = docs.slice(i, i + 200);
            const res = await r.db('bench').table('bigchain').insert(batch, { durability: 'soft', conflict: 'error' }).run(conn);
            if (res.errors > 0 || res.inserted !== batch.length) throw new Error('batch failed: ' + JSON.stringify(res));
          }
          const ms = Number(process.hrtime.bigint() - start) / 1e6;
          await conn.close();
          console.log(JSON.stringify({ ms, docs: docs.length }));
        })().catch(e => { console.error(e); process.exit(1); });
        """;

    public string Name => "restore";

    public string Description => "restore engine vs the official JS driver inserting 200-row batches, ~50,000 BigchainDB-like blocks into reqlite";

    public async Task RunAsync(string[] args, TextWriter output, CancellationToken cancellationToken)
    {
        var count = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 50_000;
        var documents = Documents(count);
        var bytes = documents.Sum(d => (long)d.Length);
        var file = Path.Combine(Path.GetTempPath(), $"actorbackup-bench-restore-{Guid.NewGuid():N}.ndjson");
        await File.WriteAllLinesAsync(file, documents.Select(d => Encoding.UTF8.GetString(d)), cancellationToken);
        try
        {
            output.WriteLine($"{count} documents, {bytes / 1e6:0.0} MB of JSON; {Environment.ProcessorCount} cores");
            double jsSeconds;
            await using (var server = await ReqliteServer.StartAsync())
            {
                var result = await NodeTools.RunScriptAsync(Script, [file, server.Port.ToString(CultureInfo.InvariantCulture)], TimeSpan.FromMinutes(30));
                jsSeconds = JsonDocument.Parse(result.Trim().Split('\n')[^1]).RootElement.GetProperty("ms").GetDouble() / 1000;
            }

            var parsed = documents.Select(d => JsonElement.Parse(d)).ToList();
            var (writeSeconds, totalSeconds) = await OursAsync(parsed, cancellationToken);

            var jsRate = count / jsSeconds;
            var oursRate = count / writeSeconds;
            output.WriteLine($"ours (4 writers, 200-row batches): {oursRate,9:0} docs/s {bytes / 1e6 / writeSeconds,7:0.0} MB/s  writing {writeSeconds:0.00} s; with indexes and verification {totalSeconds:0.00} s");
            output.WriteLine($"js driver (200-row batches)      : {jsRate,9:0} docs/s {bytes / 1e6 / jsSeconds,7:0.0} MB/s  writing {jsSeconds:0.00} s");
            output.WriteLine($"ratio ours/js (writing): {oursRate / jsRate:0.00}x");
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// <summary>Seconds until every document is written, and until the whole restore (indexes, verification) is done.</summary>
    private static async Task<(double Write, double Total)> OursAsync(IReadOnlyList<JsonElement> documents, CancellationToken ct)
    {
        await using var server = await ReqliteServer.StartAsync();
        var clock = new Stopwatch();
        var written = TimeSpan.Zero;
        var progress = new Marks(p =>
        {
            if (p.Phase == RestorePhase.Started)
                clock.Restart();
            else if (p.Phase == RestorePhase.Written)
                written = clock.Elapsed;
        });
        var engine = new RestoreEngine(new ConnectionOptions { Host = server.Host, Port = server.Port }, new RestoreOptions(), progress);
        var report = await engine.RunAsync("bench", [new RestoreTable(new TableInfo("bench", "bigchain", "id", []), Stream(documents))], ct);
        if (!report.Verified)
            throw new InvalidOperationException($"the benchmark restore did not verify: {report.FirstProblem}");
        return (written.TotalSeconds, clock.Elapsed.TotalSeconds);
    }

    private sealed class Marks(Action<RestoreProgress> mark) : IProgress<RestoreProgress>
    {
        public void Report(RestoreProgress value) => mark(value);
    }

    /// <summary>Blocks shaped like BigchainDB 0.10's: hex ids, base58 keys, one or two transactions each.</summary>
    private static List<byte[]> Documents(int count)
    {
        var random = new Random(7);
        const string base58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
        string Hex() => Convert.ToHexStringLower(Bytes(32));
        string B58(int n) => new([.. Enumerable.Range(0, n).Select(_ => base58[random.Next(base58.Length)])]);
        byte[] Bytes(int n)
        {
            var b = new byte[n];
            random.NextBytes(b);
            return b;
        }
        var keys = Enumerable.Range(0, 8).Select(_ => B58(44)).ToArray();
        var documents = new List<byte[]>(count);
        for (var i = 0; i < count; i++)
        {
            var txs = string.Join(",", Enumerable.Range(0, 1 + i % 2).Select(t =>
                $$$"""{"id":"{{{Hex()}}}","version":"0.10","operation":"CREATE","asset":{"data":{"serial":{{{i}}},"name":"asset {{{i}}}.{{{t}}}"}},"inputs":[{"owners_before":["{{{keys[t]}}}"],"fulfills":null,"fulfillment":"pGSAI{{{B58(60)}}}"}],"outputs":[{"public_keys":["{{{keys[(t + 1) % 8]}}}"],"amount":"1","condition":{"uri":"ni:///sha-256;{{{B58(43)}}}?fpt=ed25519-sha-256&cost=131072"}}],"metadata":null}"""));
            documents.Add(Encoding.UTF8.GetBytes(
                $$$"""{"id":"{{{Hex()}}}","block":{"timestamp":"{{{1500000000 + i}}}","transactions":[{{{txs}}}],"node_pubkey":"{{{keys[i % 8]}}}","voters":["{{{keys[0]}}}","{{{keys[1]}}}","{{{keys[2]}}}"]},"signature":"{{{B58(88)}}}"}"""));
        }
        return documents;
    }

    // Akka brings System.Linq.Async, whose ToAsyncEnumerable clashes with the framework's own.
    private static async IAsyncEnumerable<T> Stream<T>(IEnumerable<T> items)
    {
        foreach (var item in items)
            yield return item;
        await Task.CompletedTask;
    }
}
