using System.Diagnostics;
using System.Globalization;
using System.Text;
using ActorBackup.ReQL.Ast;
using ActorBackup.ReQL.Net;
using ActorBackup.Sandbox.Reqlite;
using ActorBackup.Testing;

namespace ActorBackup.Bench.Driver;

/// <summary>
/// Reads a whole table of ~1 KB documents by cursor with our driver and with the official JavaScript driver,
/// alternating rounds against the same reqlite. Each side times only its own read (connection already open).
/// Arguments: [--docs N] [--rounds N].
/// </summary>
public sealed class CursorReadBenchmark : IBenchmark
{
    private const string Db = "bench";
    private const string TableName = "docs";

    // Connects first, then times one full read (run + toArray), and prints "<documents> <milliseconds>".
    private const string JsReader = """
        const r = require('rethinkdb');
        (async () => {
          const conn = await r.connect({ host: '127.0.0.1', port: Number(process.argv[2]) });
          const started = process.hrtime.bigint();
          const result = await r.db('bench').table('docs').run(conn);
          const rows = Array.isArray(result) ? result : await result.toArray();
          const elapsed = Number(process.hrtime.bigint() - started) / 1e6;
          process.stdout.write(`${rows.length} ${elapsed}`);
          await conn.close();
        })().catch(e => { console.error(e.message); process.exit(1); });
        """;

    public string Name => "cursor-read";

    public string Description => "whole-table cursor read of 100,000 ~1 KB documents from reqlite: ours vs the official JS driver";

    public async Task RunAsync(string[] args, TextWriter output, CancellationToken cancellationToken)
    {
        var documents = IntOption(args, "--docs", 100_000);
        var rounds = IntOption(args, "--rounds", 3);

        await using var server = await ReqliteServer.StartAsync();
        var options = new ConnectionOptions { Host = server.Host, Port = server.Port, ResponseTimeout = TimeSpan.FromMinutes(5) };
        await using var conn = await Connection.ConnectAsync(options, cancellationToken);
        var table = R.Db(Db).Table(TableName);

        output.WriteLine($"reqlite on {server.Endpoint}; inserting {documents:N0} documents…");
        await R.DbCreate(Db).RunAtomAsync(conn, cancellationToken);
        await R.Db(Db).TableCreate(TableName).RunAtomAsync(conn, cancellationToken);
        for (var start = 0; start < documents; start += 1000)
        {
            var batch = Enumerable.Range(start, Math.Min(1000, documents - start)).Select(Document).ToList();
            var written = await table.Insert(batch).RunWriteAsync(conn, cancellationToken);
            if (written.Inserted != batch.Count)
                throw new InvalidOperationException($"Insert wrote {written.Inserted} of {batch.Count} documents: {written.FirstError}");
        }
        var bytes = await MeasureBytesAsync(table, conn, cancellationToken);
        output.WriteLine($"table holds {documents:N0} documents, {bytes / 1e6:0.0} MB of JSON; 1 warm-up round, then {rounds} measured rounds");

        await ReadOursAsync(table, conn, documents, cancellationToken);
        await ReadJsAsync(server.Port, documents);
        var ours = new List<double>();
        var js = new List<double>();
        for (var round = 1; round <= rounds; round++)
        {
            var o = await ReadOursAsync(table, conn, documents, cancellationToken);
            var j = await ReadJsAsync(server.Port, documents);
            ours.Add(o);
            js.Add(j);
            output.WriteLine($"round {round}: ours {Rate(documents, bytes, o)}   official JS {Rate(documents, bytes, j)}");
        }

        var oursBest = ours.Min();
        var jsBest = js.Min();
        output.WriteLine($"ours (best):        {Rate(documents, bytes, oursBest)}");
        output.WriteLine($"official JS (best): {Rate(documents, bytes, jsBest)}");
        output.WriteLine($"ratio ours/official: {jsBest / oursBest:0.00}x (best rounds), {js.Average() / ours.Average():0.00}x (mean)");
    }

    private static Dictionary<string, object> Document(int id) => new()
    {
        ["id"] = id,
        ["type"] = "vote",
        ["node_pubkey"] = $"3LZ{id:D40}",
        ["timestamp"] = 1_500_000_000 + id,
        ["valid"] = id % 7 != 0,
        ["score"] = id * 0.25,
        ["payload"] = new string((char)('a' + id % 26), 850),
    };

    private static async Task<long> MeasureBytesAsync(ReqlAst table, Connection conn, CancellationToken ct)
    {
        long bytes = 0;
        await using var cursor = await table.RunCursorAsync(conn, ct);
        await foreach (var doc in cursor.WithCancellation(ct))
            bytes += Encoding.UTF8.GetByteCount(doc.GetRawText());
        return bytes;
    }

    private static async Task<double> ReadOursAsync(ReqlAst table, Connection conn, int expected, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        var count = 0;
        await using (var cursor = await table.RunCursorAsync(conn, ct))
            await foreach (var _ in cursor.WithCancellation(ct))
                count++;
        var elapsed = clock.Elapsed.TotalMilliseconds;
        if (count != expected)
            throw new InvalidOperationException($"Our driver read {count} documents, expected {expected}.");
        return elapsed;
    }

    private static async Task<double> ReadJsAsync(int port, int expected)
    {
        var text = await NodeTools.RunScriptAsync(JsReader, [port.ToString(CultureInfo.InvariantCulture)], TimeSpan.FromMinutes(5));
        var parts = text.Trim().Split(' ');
        if (parts.Length != 2 || int.Parse(parts[0], CultureInfo.InvariantCulture) != expected)
            throw new InvalidOperationException($"The JS reader printed '{text.Trim()}', expected {expected} documents and a time.");
        return double.Parse(parts[1], CultureInfo.InvariantCulture);
    }

    private static string Rate(int documents, long bytes, double milliseconds) =>
        $"{documents / (milliseconds / 1000):N0} docs/s, {bytes / 1e6 / (milliseconds / 1000):0.0} MB/s ({milliseconds:0} ms)";

    private static int IntOption(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        if (i < 0) return fallback;
        if (i + 1 >= args.Length || !int.TryParse(args[i + 1], out var value) || value < 1)
            throw new ArgumentException($"{name} needs a positive integer.");
        return value;
    }
}
