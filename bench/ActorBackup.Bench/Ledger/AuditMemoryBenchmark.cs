using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using ActorBackup.Ledger.Audit;
using ActorBackup.Ledger.Documents;
using ActorBackup.Recovery.FromCluster;

namespace ActorBackup.Bench.Ledger;

/// <summary>
/// Peak memory of the completeness audit over 100k and 1M records, each in a child process of its own (so each peak is
/// its own), in the same run: blocks first, then every vote, the order `verify` feeds it, which an in-memory join
/// would have to hold whole. The records are made on the fly (4 voters, each voting every block in order) and never
/// kept, so what grows is the audit. Three ways: "audit", records handed to <see cref="LedgerAudit"/> directly; "verify",
/// what `verify` does with each line it reads from the cluster (one shard of blocks, one of votes: the largest shards
/// possible), each line through <see cref="ClusterBackupSource.ReadShard"/> (which keeps the ids given, for
/// failover) and <see cref="BackupAudit"/>; and the reference "verify, ids in memory", the same with every given id
/// held in memory, as the shard reads did before. The child runs with the workstation GC, as the CLI does. The heap is
/// measured after a full compacting collection, each time the audit's buffer is about to be sorted out to disk (audit)
/// or every 8,192 lines (verify), and every few milliseconds while the audit merges its runs; RSS is the process's
/// peak resident set. Target: the 1M peaks within 1.2x of the 100k ones.
/// </summary>
public sealed class AuditMemoryBenchmark : IBenchmark
{
    private const int Voters = 4;

    public string Name => "audit-memory";

    public string Description => "completeness audit peak memory over 100k and 1M records, blocks before votes, directly and as verify reads them, a child process each [--records N]";

    /// <summary>The ways measured, by the name the child is given, and their labels.</summary>
    private static readonly (string Mode, string Label)[] Modes =
    [
        ("audit", "audit"),
        ("verify", "verify"),
        ("verify-ids-in-memory", "verify, ids in memory"),
    ];

    public async Task RunAsync(string[] args, TextWriter output, CancellationToken cancellationToken)
    {
        if (args is ["--child", var count, var way])
        {
            var records = long.Parse(count, CultureInfo.InvariantCulture);
            if (way == "audit")
                Child(records, output);
            else
                await VerifyChildAsync(records, way == "verify" ? ClusterReadOptions.Default : new ClusterReadOptions(IdsInMemory: int.MaxValue), output);
            return;
        }
        var large = args is ["--records", var n] ? long.Parse(n, CultureInfo.InvariantCulture) : 1_000_000;
        var sizes = new[] { large / 10, large };
        output.WriteLine($"Auditing {string.Join(" and ", sizes.Select(s => s.ToString("N0", CultureInfo.InvariantCulture)))} records (blocks first, then votes; {Voters} voters), a child process each ...");
        output.WriteLine();
        output.WriteLine($"{"way",-22} {"records",11} {"peak RSS",10} {"peak GC heap",13} {"temp runs",10} {"time",8} {"findings",9}");
        var summary = new List<string>();
        foreach (var (mode, label) in Modes)
        {
            var samples = new List<string[]>();
            foreach (var size in sizes)
            {
                var fields = (await RunChildAsync(size, mode, cancellationToken)).Split(' ');
                samples.Add(fields);
                output.WriteLine($"{label,-22} {size,11:N0} {Mib(fields[0]),10} {Mib(fields[1]),13} {fields[2],10} {double.Parse(fields[3], CultureInfo.InvariantCulture),7:0.0}s {fields[4],9}");
            }
            var rss = double.Parse(samples[1][0], CultureInfo.InvariantCulture) / double.Parse(samples[0][0], CultureInfo.InvariantCulture);
            var heap = double.Parse(samples[1][1], CultureInfo.InvariantCulture) / double.Parse(samples[0][1], CultureInfo.InvariantCulture);
            summary.Add($"audit-memory, {label}: {sizes[1]:N0} vs {sizes[0]:N0} records: peak RSS {rss:0.00}x, peak GC heap {heap:0.00}x (target within 1.20x): {(Math.Max(rss, heap) <= 1.2 ? "met" : "NOT met")}");
        }
        output.WriteLine();
        foreach (var line in summary)
            output.WriteLine(line);
    }

    /// <summary>
    /// Prints "peakRss peakGcHeap runs seconds findings" for `verify`'s audit of <paramref name="records"/> record lines,
    /// read as one shard of blocks and one of votes; "runs" is "-", the audit being out of reach inside <see cref="BackupAudit"/>.
    /// </summary>
    private static async Task VerifyChildAsync(long records, ClusterReadOptions reads, TextWriter output)
    {
        var blocks = records / (1 + Voters);
        var peak = new PeakHeap();
        var clock = Stopwatch.StartNew();
        var voters = Enumerable.Range(0, Voters).Select(v => $"voter-{v}-{new string('k', 36)}").ToArray();
        var votersJson = string.Join(',', voters.Select(v => $"\"{v}\""));
        long lines = 0;
        async IAsyncEnumerable<byte[]> Lines(IEnumerable<string> documents, [EnumeratorCancellation] CancellationToken ct = default)
        {
            foreach (var document in documents)
            {
                if (++lines % 8192 == 0)
                    peak.Sample();
                yield return Encoding.UTF8.GetBytes(document);
            }
            await Task.CompletedTask;
        }
        IEnumerable<string> Blocks()
        {
            for (long n = 0; n < blocks; n++)
                yield return $$$"""{"id":"{{{Id(n)}}}","block":{"timestamp":"{{{1_500_000_000 + n}}}","transactions":[{"id":"tx","operation":"{{{(n == 0 ? "GENESIS" : "CREATE")}}}"}],"node_pubkey":"{{{voters[n % Voters]}}}","voters":[{{{votersJson}}}]},"signature":"signature"}""";
        }
        IEnumerable<string> Votes()
        {
            for (long n = 1; n < blocks; n++)
                for (var v = 0; v < Voters; v++)
                    yield return $$$"""{"id":"{{{n:x8}}}-{{{v:x4}}}-4f8e-a580-9e09763434c0","node_pubkey":"{{{voters[v]}}}","signature":"signature","vote":{"voting_for_block":"{{{Id(n)}}}","previous_block":"{{{Id(n - 1)}}}","is_block_valid":true,"invalid_reason":null,"timestamp":"{{{1_500_000_000 + blocks + n}}}"}}""";
        }
        AuditedShard Shard(string id, RecordKind kind, IEnumerable<string> documents) =>
            new(id, kind, ClusterBackupSource.ReadShard(id, [new ShardReplica("generated", ct => Lines(documents, ct))], reads, _ => { }));

        using var sampling = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested)
            {
                peak.Sample();
                await Task.Delay(50);
            }
        });
        var problems = new List<string>();
        var report = await BackupAudit.RunAsync([Shard("bigchain/000", RecordKind.Block, Blocks()), Shard("votes/000", RecordKind.Vote, Votes())], problems);
        sampling.Cancel();
        await sampler;
        if (problems.Count > 0)
            throw new InvalidOperationException($"{problems.Count} lines unreadable, the first: {problems[0]}");
        using var process = Process.GetCurrentProcess();
        output.WriteLine(string.Join(' ', process.PeakWorkingSet64, peak.Bytes, "-", clock.Elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture), report.Findings.Count));
    }

    /// <summary>The most the GC heap held, sampled after a full compacting collection: what is held, not garbage awaiting the GC.</summary>
    private sealed class PeakHeap
    {
        private readonly Lock _gate = new();

        public long Bytes { get; private set; }

        public void Sample()
        {
            lock (_gate)
            {
                GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
                Bytes = Math.Max(Bytes, GC.GetTotalMemory(forceFullCollection: false));
            }
        }
    }

    /// <summary>Prints "peakRss peakGcHeap runs seconds findings" for one audit of <paramref name="records"/> records.</summary>
    private static void Child(long records, TextWriter output)
    {
        var blocks = records / (1 + Voters);
        var peak = new PeakHeap();
        void Sample() => peak.Sample();
        var clock = Stopwatch.StartNew();
        var voters = Enumerable.Range(0, Voters).Select(v => $"voter-{v}-{new string('k', 36)}").ToArray();
        using var audit = new LedgerAudit();
        var full = LedgerAuditOptions.Default.MemoryEntries - 2;
        var maxRuns = 0;
        for (long n = 0; n < blocks; n++)
        {
            audit.Observe(new Block(Id(n), 1_500_000_000 + n, voters[n % Voters], voters, ["tx"], n == 0, "signature", ReadOnlyMemory<byte>.Empty));
            if (audit.HeldEntries >= full)
                Sample();
        }
        for (long n = 1; n < blocks; n++)
        {
            for (var v = 0; v < Voters; v++)
            {
                audit.Observe(new Vote($"{n:x8}-{v:x4}-4f8e-a580-9e09763434c0", voters[v], "signature", Id(n), Id(n - 1), true, null, 1_500_000_000 + blocks + n, ReadOnlyMemory<byte>.Empty));
                // Just before the buffer is sorted out to disk: the most the audit holds while observing.
                if (audit.HeldEntries >= full)
                    Sample();
            }
            maxRuns = Math.Max(maxRuns, audit.SpilledRuns);
        }
        // While the runs are merged, sampled every few milliseconds from another thread.
        using var sampling = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested)
            {
                Sample();
                await Task.Delay(5);
            }
        });
        var findings = audit.Complete().Findings.Count;
        sampling.Cancel();
        sampler.Wait();
        using var process = Process.GetCurrentProcess();
        output.WriteLine(string.Join(' ', process.PeakWorkingSet64, peak.Bytes, maxRuns, clock.Elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture), findings));
    }

    private static async Task<string> RunChildAsync(long records, string mode, CancellationToken ct)
    {
        var host = Environment.ProcessPath!;
        var start = new ProcessStartInfo(host) { RedirectStandardOutput = true, UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(host) == "dotnet")
            start.ArgumentList.Add(typeof(AuditMemoryBenchmark).Assembly.Location);
        foreach (var arg in new[] { "audit-memory", "--child", records.ToString(CultureInfo.InvariantCulture), mode })
            start.ArgumentList.Add(arg);
        start.Environment["DOTNET_gcServer"] = "0";
        using var child = Process.Start(start)!;
        var text = await child.StandardOutput.ReadToEndAsync(ct);
        await child.WaitForExitAsync(ct);
        if (child.ExitCode != 0)
            throw new InvalidOperationException($"the audit ({mode}) of {records} records failed ({child.ExitCode}): {text}");
        return text.Trim();
    }

    private static string Id(long n) => n.ToString("x64", CultureInfo.InvariantCulture);

    private static string Mib(string bytes) => $"{long.Parse(bytes, CultureInfo.InvariantCulture) / 1048576.0:0.0} MiB";
}
