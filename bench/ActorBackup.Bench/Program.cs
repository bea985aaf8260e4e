namespace ActorBackup.Bench;

public static class Program
{
    private static readonly IBenchmark[] Benchmarks =
    [
        new Driver.CursorReadBenchmark(),
        new Ledger.ValidationBenchmark(),
        new Ledger.AuditMemoryBenchmark(),
        new Recovery.ExportBenchmark(),
        new Recovery.RestoreBenchmark(),
        new Capture.CaptureBenchmark(),
        new Capture.CaptureLatencyBenchmark(),
        new Capture.CaptureMemoryBenchmark(),
        new Sources.SourceLoadBenchmark(),
        new Sources.ReconcileBenchmark(),
        new Storage.StorageBenchmark(),
        new Storage.PackBenchmark(),
        new Storage.AtRestBenchmark(),
    ];

    public static async Task<int> Main(string[] args)
    {
        var chosen = args.Length == 0 ? null : Benchmarks.FirstOrDefault(b => b.Name == args[0]);
        if (chosen is null)
        {
            Console.Error.WriteLine("Usage: dotnet run -c Release --project bench/ActorBackup.Bench -- BENCHMARK [ARGS]");
            foreach (var b in Benchmarks)
                Console.Error.WriteLine($"  {b.Name,-16} {b.Description}");
            return 2;
        }
        try
        {
            await chosen.RunAsync(args[1..], Console.Out, CancellationToken.None);
        }
        catch (BenchUsageException e)
        {
            Console.Error.WriteLine($"{chosen.Name}: {e.Message} ({chosen.Description})");
            return 2;
        }
        return 0;
    }
}
