using System.Diagnostics;
using System.Text;
using ActorBackup.Recovery.Archive;

namespace ActorBackup.Bench.Recovery;

/// <summary>
/// Archive writing (Python-format re-serialization, tar, parallel gzip -6) against the real `gzip -6 -c` compressing
/// the same JSON bytes, both measured in MB/s of JSON in. Args: [megabytes, default 100].
/// </summary>
public sealed class ExportBenchmark : IBenchmark
{
    public string Name => "export";

    public string Description => "dump archive writing vs gzip -6 on the same ~100 MB of BigchainDB-like JSON rows";

    public async Task RunAsync(string[] args, TextWriter output, CancellationToken cancellationToken)
    {
        var megabytes = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 100;
        var dir = Path.Combine(Path.GetTempPath(), "actorbackup-bench-export-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            var rows = Rows(megabytes * 1_000_000L);
            var jsonBytes = rows.Sum(r => (long)r.Length + 1);
            var jsonFile = Path.Combine(dir, "rows.json");
            await using (var f = File.Create(jsonFile))
            {
                foreach (var row in rows)
                {
                    f.Write(row);
                    f.WriteByte((byte)'\n');
                }
            }
            output.WriteLine($"{rows.Count} rows, {jsonBytes / 1e6:0.0} MB of JSON; {Environment.ProcessorCount} cores");

            await WriteArchiveAsync(rows.Take(2000).ToList(), Path.Combine(dir, "warmup.tar.gz"), dir, cancellationToken);
            var ours = Stopwatch.StartNew();
            var compressed = await WriteArchiveAsync(rows, Path.Combine(dir, "ours.tar.gz"), dir, cancellationToken);
            ours.Stop();

            var gzip = Stopwatch.StartNew();
            var gzipBytes = await GzipAsync(jsonFile, Path.Combine(dir, "rows.json.gz"), cancellationToken);
            gzip.Stop();

            var oursRate = jsonBytes / 1e6 / ours.Elapsed.TotalSeconds;
            var gzipRate = jsonBytes / 1e6 / gzip.Elapsed.TotalSeconds;
            output.WriteLine($"ours    (archive writer): {oursRate,8:0.0} MB/s  {ours.Elapsed.TotalSeconds:0.00} s  -> {compressed / 1e6:0.0} MB");
            output.WriteLine($"gzip -6 (same JSON)     : {gzipRate,8:0.0} MB/s  {gzip.Elapsed.TotalSeconds:0.00} s  -> {gzipBytes / 1e6:0.0} MB");
            output.WriteLine($"ratio ours/gzip: {oursRate / gzipRate:0.00}x");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static async Task<long> WriteArchiveAsync(IReadOnlyList<byte[]> rows, string path, string temp, CancellationToken ct)
    {
        await using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
        await using var archive = DumpArchiveWriter.Create(file, new DumpArchiveOptions { TempDirectory = temp });
        using (var table = archive.BeginTable(new TableInfo("bigchain", "bigchain", "id", [])))
        {
            foreach (var row in rows)
                table.WriteRow(row);
            await table.CompleteAsync(ct);
        }
        await archive.CompleteAsync(ct);
        return archive.CompressedBytes;
    }

    private static async Task<long> GzipAsync(string input, string outputPath, CancellationToken ct)
    {
        var psi = new ProcessStartInfo("bash") { RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add("gzip -6 -c \"$1\" > \"$2\"");
        psi.ArgumentList.Add("gzip");
        psi.ArgumentList.Add(input);
        psi.ArgumentList.Add(outputPath);
        using var process = Process.Start(psi) ?? throw new InvalidOperationException("could not start gzip");
        var error = await process.StandardError.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"gzip failed: {error}");
        return new FileInfo(outputPath).Length;
    }

    /// <summary>Blocks shaped like BigchainDB's: hex ids, base58 keys, signatures, nested transactions.</summary>
    private static List<byte[]> Rows(long totalBytes)
    {
        var random = new Random(42);
        const string base58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
        string Hex(int n) => Convert.ToHexStringLower(RandomBytes(n / 2));
        string B58(int n) => new(Enumerable.Range(0, n).Select(_ => base58[random.Next(base58.Length)]).ToArray());
        byte[] RandomBytes(int n)
        {
            var b = new byte[n];
            random.NextBytes(b);
            return b;
        }
        var rows = new List<byte[]>();
        long size = 0;
        var keys = Enumerable.Range(0, 8).Select(_ => B58(44)).ToArray();
        for (var i = 0; size < totalBytes; i++)
        {
            var txs = new StringBuilder();
            for (var t = 0; t < 5; t++)
            {
                if (t > 0) txs.Append(',');
                txs.Append($$$$"""{"id":"{{{{Hex(64)}}}}","version":"1.0","operation":"CREATE","asset":{"data":{"serial":{{{{i * 5 + t}}}},"name":"asset {{{{i}}}}.{{{{t}}}}","price":{{{{random.Next(1, 100000)}}}}.{{{{random.Next(100)}}}}}},"inputs":[{"owners_before":["{{{{keys[t % 8]}}}}"],"fulfills":null,"fulfillment":"pGSAI{{{{B58(40)}}}}gUD{{{{B58(60)}}}}"}],"outputs":[{"public_keys":["{{{{keys[(t + 1) % 8]}}}}"],"amount":"1","condition":{"uri":"ni:///sha-256;{{{{B58(43)}}}}?fpt=ed25519-sha-256&cost=131072","details":{"type":"ed25519-sha-256","public_key":"{{{{keys[(t + 1) % 8]}}}}"}}}],"metadata":{"note":"Grüße {{{{i}}}}"}}""");
            }
            var row = $$$$"""{"id":"{{{{Hex(64)}}}}","block":{"timestamp":"{{{{1500000000 + i}}}}","transactions":[{{{{txs}}}}],"node_pubkey":"{{{{keys[i % 8]}}}}","voters":["{{{{keys[0]}}}}","{{{{keys[1]}}}}","{{{{keys[2]}}}}"]},"signature":"{{{{B58(88)}}}}"}""";
            var bytes = Encoding.UTF8.GetBytes(row);
            rows.Add(bytes);
            size += bytes.Length + 1;
        }
        return rows;
    }
}
