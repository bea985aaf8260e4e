namespace ActorBackup.Ledger.Simulation;

public static class SimulationClocks
{
    public static long WallTime() => DateTimeOffset.UtcNow.ToUnixTimeSeconds();

    /// <summary>A clock that starts at <paramref name="start"/> and advances <paramref name="step"/> seconds per reading.</summary>
    public static Func<long> Virtual(long start = 1_500_000_000, long step = 1)
    {
        var next = start;
        return () =>
        {
            var now = next;
            next += step;
            return now;
        };
    }
}
