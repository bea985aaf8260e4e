using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json;
using ActorBackup.Cluster.Serialization.Documents;
using ActorBackup.Ledger.Simulation;

namespace ActorBackup.Bench.Storage;

/// <summary>
/// What packing a document for the journal (<see cref="JsonPacker"/>: field names once, hex and base58 as bytes, base64url
/// runs as bytes, ids that hash the document computed again) costs on the capture path, and unpacking it on every read,
/// against parsing the same bytes once with System.Text.Json, measured in the same run on a simulated ledger's blocks and
/// votes; votes again with the blocks' hashes interned (<see cref="InternedHashes"/>), and what a node's table of
/// interned hashes takes in memory and to load, against the hashes' own bytes.
/// </summary>
public sealed class PackBenchmark : IBenchmark
{
    private const int Passes = 7;

    // Interned hashes loaded as a node's recovery loads them, in batches of about what one intern-interval collects.
    private const int TableHashes = 1_000_000, TableBatch = 1_000;

    public string Name => "pack";

    public string Description => "packing and unpacking journal documents (votes also with their blocks' hashes interned) vs parsing them once with System.Text.Json, and a table of 1,000,000 interned hashes [--rounds 2000] [--transactions-per-block 1]";

    public Task RunAsync(string[] args, TextWriter output, CancellationToken cancellationToken)
    {
        var options = Options.Parse(args);
        using var simulator = new FederationSimulator(new SimulationOptions("bench-pack", Nodes: 4, TransactionsPerBlock: options.TransactionsPerBlock,
            Clock: SimulationClocks.Virtual(1_700_000_000)));
        var rounds = simulator.Generate(options.Rounds).ToList();
        var blocks = rounds.Select(r => r.Block.Json).ToArray();
        var votes = rounds.SelectMany(r => r.Votes).Select(v => v.Json).ToArray();
        output.WriteLine($"{blocks.Length:N0} blocks of {options.TransactionsPerBlock} transaction(s) ({blocks.Average(b => b.Length):0} B), {votes.Length:N0} votes ({votes.Average(v => v.Length):0} B); median of {Passes} passes");
        output.WriteLine($"{"documents",-16} {"pack us",9} {"unpack us",10} {"parse us",9} {"pack / parse",13} {"unpack / parse",15} {"packed / raw",13}");
        Report(output, "blocks", blocks, null, cancellationToken);
        Report(output, "votes", votes, null, cancellationToken);
        Report(output, "votes, interned", votes, BlocksInterned(rounds.Select(r => r.Block.BlockId)), cancellationToken);
        ReportTable(output);
        return Task.CompletedTask;
    }

    private static InternedPrefix BlocksInterned(IEnumerable<string> blockIds)
    {
        var table = new InternedHashes();
        var count = 0;
        foreach (var id in blockIds) table.Add(count++, Convert.FromHexString(id));
        return table.Prefix();
    }

    private static void Report(TextWriter output, string name, byte[][] documents, InternedPrefix? interned, CancellationToken ct)
    {
        var packed = documents.Select(d => JsonPacker.Pack(d, interned)).ToArray();
        var pack = Median(() => { foreach (var d in documents) JsonPacker.Pack(d, interned); }, documents.Length, ct);
        var unpack = Median(() => { foreach (var p in packed) JsonPacker.Unpack(p, interned); }, documents.Length, ct);
        var parse = Median(() => { foreach (var d in documents) JsonDocument.Parse(d).Dispose(); }, documents.Length, ct);
        var ratio = (double)packed.Sum(p => (long)p.Length) / documents.Sum(d => (long)d.Length);
        output.WriteLine($"{name,-16} {pack,9:0.0} {unpack,10:0.0} {parse,9:0.0} {pack / parse,12:0.00}x {unpack / parse,14:0.00}x {ratio,12:0.000}x");
    }

    /// <summary>Memory and load time of a table of <see cref="TableHashes"/> interned hashes, against their own bytes.</summary>
    private static void ReportTable(TextWriter output)
    {
        var batches = Enumerable.Range(0, TableHashes / TableBatch).Select(_ => RandomNumberGenerator.GetBytes(TableBatch * InternedHashes.HashBytes)).ToArray();
        var before = GC.GetTotalMemory(forceFullCollection: true);
        var clock = Stopwatch.StartNew();
        var table = new InternedHashes();
        for (var b = 0; b < batches.Length; b++) table.Add(b * TableBatch, batches[b]);
        var load = clock.Elapsed;
        var held = GC.GetTotalMemory(forceFullCollection: true) - before;
        GC.KeepAlive(table);
        output.WriteLine($"interned hashes: {TableHashes:N0} loaded in {load.TotalMilliseconds:0} ms ({load.TotalNanoseconds / TableHashes:0} ns a hash), " +
            $"{held:N0} B in memory = {(double)held / TableHashes:0} B a hash, {(double)held / (TableHashes * (long)InternedHashes.HashBytes):0.00}x their own bytes");
    }

    /// <summary>Microseconds per document, the median of <see cref="Passes"/> passes after one to warm up.</summary>
    private static double Median(Action pass, int documents, CancellationToken ct)
    {
        pass();
        var times = new double[Passes];
        for (var i = 0; i < Passes; i++)
        {
            ct.ThrowIfCancellationRequested();
            var clock = Stopwatch.StartNew();
            pass();
            times[i] = clock.Elapsed.TotalMicroseconds / documents;
        }
        Array.Sort(times);
        return times[Passes / 2];
    }

    private sealed record Options(int Rounds, int TransactionsPerBlock)
    {
        public static Options Parse(string[] args) =>
            BenchArguments.Fold(args, new Options(2000, 1), new HashSet<string>(),
                (options, name, value) => name switch
                {
                    "--rounds" => options with { Rounds = BenchArguments.Int(value) },
                    "--transactions-per-block" => options with { TransactionsPerBlock = BenchArguments.Int(value) },
                    var other => throw new ArgumentException($"unknown option {other}"),
                });
    }
}
