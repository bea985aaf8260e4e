using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using ActorBackup.Ledger.Crypto;
using ActorBackup.Ledger.Documents;
using ActorBackup.Ledger.Json;
using ActorBackup.Ledger.Simulation;
using ActorBackup.Ledger.Validation;
using NSec.Cryptography;

namespace ActorBackup.Bench.Ledger;

/// <summary>
/// Validation throughput on all cores for votes and for blocks of 1 and 1000 transactions, beside NSec's raw
/// Ed25519 verify rate on the same messages in the same run. Target: votes at 0.8x the raw rate or better.
/// </summary>
public sealed class ValidationBenchmark : IBenchmark
{
    public string Name => "validate";

    public string Description => "ledger validation (votes, blocks of 1 and 1000 txs) vs raw NSec Ed25519 verify, all cores [--seconds N]";

    public Task RunAsync(string[] args, TextWriter output, CancellationToken cancellationToken)
    {
        var seconds = args.Length == 2 && args[0] == "--seconds" ? double.Parse(args[1], CultureInfo.InvariantCulture) : 3.0;
        var duration = TimeSpan.FromSeconds(seconds);
        output.WriteLine($"Generating documents (deterministic simulator) ... cores: {Environment.ProcessorCount}");

        using var small = new FederationSimulator(new SimulationOptions("bench-small", Nodes: 4, TransactionsPerBlock: 1, Clock: SimulationClocks.Virtual()));
        var smallRounds = small.Generate(400).Skip(1).ToList();
        var votes = smallRounds.SelectMany(r => r.Votes).Select(v => v.Json).ToArray();
        var smallBlocks = smallRounds.Select(r => r.Block.Json).ToArray();

        using var large = new FederationSimulator(new SimulationOptions("bench-large", Nodes: 4, TransactionsPerBlock: 1000, Clock: SimulationClocks.Virtual()));
        var largeBlocks = large.Generate(4).Skip(1).Select(r => r.Block.Json).ToArray();

        var validator = new LedgerValidator(small.Federation);
        var deepValidator = new LedgerValidator(small.Federation, new LedgerValidatorOptions(Deep: true));
        var largeValidator = new LedgerValidator(large.Federation);
        var raw = votes.Select(RawVoteSignature.Of).ToArray();

        EnsureValid(validator, votes, RecordKind.Vote);
        EnsureValid(deepValidator, smallBlocks, RecordKind.Block);
        EnsureValid(largeValidator, largeBlocks, RecordKind.Block);

        // Interleaved rounds, best of each: the machine is shared, and a burst of foreign load during one
        // measurement must not decide the ratio. The CPU-time rate (operations per CPU-second of this process)
        // is the load-independent figure; the wall-clock rate is what this machine delivered at the time.
        const int Rounds = 3;
        output.WriteLine($"Measuring, {Rounds} interleaved rounds of about {seconds:0.#} s per measure ...");
        var slice = duration / Rounds;
        var measures = new (string Name, Func<TimeSpan, Rate> Run)[]
        {
            ("raw Ed25519 verify (NSec)", d => Measure(raw.Length, i => raw[i].Verify(), d)),
            ("votes validated", d => Measure(votes.Length, i => validator.Validate(votes[i], RecordKind.Vote).IsValid, d)),
            ("blocks of 1 tx validated", d => Measure(smallBlocks.Length, i => validator.Validate(smallBlocks[i], RecordKind.Block).IsValid, d)),
            ("blocks of 1 tx validated, deep", d => Measure(smallBlocks.Length, i => deepValidator.Validate(smallBlocks[i], RecordKind.Block).IsValid, d)),
            ($"blocks of 1000 tx validated ({largeBlocks[0].Length / 1024} KiB)", d => Measure(largeBlocks.Length, i => largeValidator.Validate(largeBlocks[i], RecordKind.Block).IsValid, d)),
        };
        var best = new Rate[measures.Length];
        for (var round = 0; round < Rounds; round++)
        {
            for (var m = 0; m < measures.Length; m++)
            {
                var rate = measures[m].Run(slice);
                best[m] = new Rate(Math.Max(best[m].Wall, rate.Wall), Math.Max(best[m].PerCpuSecond, rate.PerCpuSecond));
            }
        }

        output.WriteLine();
        output.WriteLine($"{"measure",-42} {"per s (wall)",13} {"ratio",7} {"per CPU-s",11} {"ratio",7}");
        for (var m = 0; m < measures.Length; m++)
        {
            output.WriteLine($"{measures[m].Name,-42} {best[m].Wall,13:N0} {best[m].Wall / best[0].Wall,6:0.00}x {best[m].PerCpuSecond,11:N0} {best[m].PerCpuSecond / best[0].PerCpuSecond,6:0.00}x");
        }
        var ratio = best[1].PerCpuSecond / best[0].PerCpuSecond;
        output.WriteLine();
        output.WriteLine($"votes: {ratio:0.00}x the raw verify rate per CPU-second, {best[1].Wall / best[0].Wall:0.00}x by wall clock (target 0.80x): {(ratio >= 0.8 ? "met" : "NOT met")}");
        return Task.CompletedTask;
    }

    private static void EnsureValid(LedgerValidator validator, byte[][] documents, RecordKind kind)
    {
        foreach (var document in documents)
        {
            var result = validator.Validate(document, kind);
            if (!result.IsValid)
                throw new InvalidOperationException($"A generated {kind} does not validate: {result}");
        }
    }

    private readonly record struct Rate(double Wall, double PerCpuSecond);

    /// <summary>Operations per second over all cores, after a warm-up pass used to size the timed run.</summary>
    private static Rate Measure(int items, Func<int, bool> operation, TimeSpan duration)
    {
        var warmup = Stopwatch.StartNew();
        var warmupOps = Math.Max(items, 64);
        Parallel.For(0, warmupOps, i => Check(operation(i % items)));
        var perOp = warmup.Elapsed.TotalSeconds / warmupOps;
        var ops = (long)Math.Max(warmupOps, duration.TotalSeconds / Math.Max(perOp, 1e-9));

        var process = Process.GetCurrentProcess();
        var cpuBefore = process.TotalProcessorTime;
        var timer = Stopwatch.StartNew();
        Parallel.For(0L, ops, i => Check(operation((int)(i % items))));
        var wall = timer.Elapsed.TotalSeconds;
        process.Refresh();
        var cpu = (process.TotalProcessorTime - cpuBefore).TotalSeconds;
        return new Rate(ops / wall, ops / cpu * Environment.ProcessorCount);
    }

    private static void Check(bool ok)
    {
        if (!ok)
            throw new InvalidOperationException("A benchmark operation failed verification.");
    }
}
