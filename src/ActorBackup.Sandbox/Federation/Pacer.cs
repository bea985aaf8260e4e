namespace ActorBackup.Sandbox.Federation;

/// <summary>
/// Holds writes to a rate by a schedule, not a fixed pause per block: block i of the run is due i / rate seconds
/// after the start, so time spent writing is not added on top, and after a stall the writer catches up in batches.
/// </summary>
public sealed class Pacer(double blocksPerSecond, TimeProvider time)
{
    private readonly long start = time.GetTimestamp();

    /// <summary>How many blocks are due <paramref name="elapsed"/> after the start (the first at once).</summary>
    public static long DueBy(TimeSpan elapsed, double blocksPerSecond) => (long)Math.Floor(elapsed.TotalSeconds * blocksPerSecond) + 1;

    /// <summary>When block number <paramref name="index"/> of the run (0-based) is due.</summary>
    public static TimeSpan DueAt(long index, double blocksPerSecond) => TimeSpan.FromSeconds(index / blocksPerSecond);

    /// <summary>Waits until at least one more block is due, then says how many (at most <paramref name="maxBatch"/>).</summary>
    public async Task<int> WaitForAllowanceAsync(long written, int maxBatch, CancellationToken ct)
    {
        while (true)
        {
            var elapsed = time.GetElapsedTime(start);
            var due = DueBy(elapsed, blocksPerSecond);
            if (due > written)
                return (int)Math.Min(due - written, maxBatch);
            await Task.Delay(DueAt(written, blocksPerSecond) - elapsed, time, ct);
        }
    }
}
