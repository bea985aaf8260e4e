namespace ActorBackup.Cluster.Sources;

/// <summary>
/// A token bucket of queries per second to one source, shared by every replica of the node, for the work that is not
/// capture itself (reconciliation): a round waits for its turn instead of adding load the federation did not plan for.
/// It holds at most one second's worth of queries, so a burst after an idle stretch stays small.
/// </summary>
public sealed class SourceQueryBudget
{
    private readonly double _perSecond;
    private readonly Func<TimeSpan> _elapsed;
    private readonly object _gate = new();
    private double _tokens;
    private TimeSpan _refilledAt;

    /// <param name="perSecond">Queries allowed per second, more than 0.</param>
    /// <param name="elapsed">A monotonic clock; a test may drive it.</param>
    public SourceQueryBudget(double perSecond, Func<TimeSpan>? elapsed = null)
    {
        if (!(perSecond > 0)) throw new ArgumentOutOfRangeException(nameof(perSecond), perSecond, "The budget must allow some queries.");
        _perSecond = perSecond;
        _elapsed = elapsed ?? Monotonic();
        _tokens = Math.Max(1, perSecond);
        _refilledAt = _elapsed();
    }

    /// <summary>Queries taken so far.</summary>
    public long Taken { get; private set; }

    /// <summary>Waits until one query may be sent, and takes it.</summary>
    public async Task TakeAsync(CancellationToken ct = default)
    {
        while (true)
        {
            var wait = TryTake();
            if (wait == TimeSpan.Zero) return;
            await Task.Delay(wait, ct);
        }
    }

    /// <summary>Takes a query and returns zero, or returns how long to wait before one is there.</summary>
    public TimeSpan TryTake()
    {
        lock (_gate)
        {
            var now = _elapsed();
            _tokens = Math.Min(Math.Max(1, _perSecond), _tokens + (now - _refilledAt).TotalSeconds * _perSecond);
            _refilledAt = now;
            if (_tokens >= 1)
            {
                _tokens -= 1;
                Taken++;
                return TimeSpan.Zero;
            }
            return TimeSpan.FromSeconds(Math.Max(0.001, (1 - _tokens) / _perSecond));
        }
    }

    private static Func<TimeSpan> Monotonic()
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        return () => watch.Elapsed;
    }
}
