namespace ActorBackup.Cluster.Sources;

/// <summary>
/// A token bucket of queries per second to one source, shared by every replica of the node, for the work that is not
/// capture itself (reconciliation), and a bound on how many of those queries are in flight at once: a round waits for
/// its turn instead of adding load the federation did not plan for. The rate alone does not bound the load, as a
/// query's cost grows with the range it reads: a source slow to answer (a busy server, reqlite scanning a table for
/// every range) would otherwise receive queries faster than it answers them, fall behind on the probes of capture's
/// own connection, and have every replica reconnect and reconcile again. The bucket holds at most one second's worth
/// of queries, so a burst after an idle stretch stays small.
/// </summary>
public sealed class SourceQueryBudget
{
    private readonly double _perSecond;
    private readonly int _inFlight;
    private readonly SemaphoreSlim _slots;
    private readonly Func<TimeSpan> _elapsed;
    private readonly object _gate = new();
    private double _tokens;
    private TimeSpan _refilledAt;

    /// <param name="perSecond">Queries allowed per second, more than 0.</param>
    /// <param name="inFlight">Queries allowed at once, at least 1.</param>
    /// <param name="elapsed">A monotonic clock; a test may drive it.</param>
    public SourceQueryBudget(double perSecond, int inFlight, Func<TimeSpan>? elapsed = null)
    {
        if (!(perSecond > 0)) throw new ArgumentOutOfRangeException(nameof(perSecond), perSecond, "The budget must allow some queries.");
        if (inFlight < 1) throw new ArgumentOutOfRangeException(nameof(inFlight), inFlight, "The budget must allow a query at a time.");
        _perSecond = perSecond;
        _inFlight = inFlight;
        _slots = new SemaphoreSlim(inFlight, inFlight);
        _elapsed = elapsed ?? Monotonic();
        _tokens = Math.Max(1, perSecond);
        _refilledAt = _elapsed();
    }

    /// <summary>Queries taken so far.</summary>
    public long Taken { get; private set; }

    /// <summary>Queries taken whose turn is not over yet.</summary>
    public int InFlight => _inFlight - _slots.CurrentCount;

    /// <summary>
    /// Waits until one more query may be sent (a free slot, then the rate), and takes it. Dispose the turn once the
    /// query's answer is read, cursor included.
    /// </summary>
    public async Task<IDisposable> TakeAsync(CancellationToken ct = default)
    {
        await _slots.WaitAsync(ct);
        var turn = new Turn(_slots);
        try
        {
            while (TryTake() is var wait && wait != TimeSpan.Zero)
                await Task.Delay(wait, ct);
            return turn;
        }
        catch
        {
            turn.Dispose();
            throw;
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

    private sealed class Turn(SemaphoreSlim slots) : IDisposable
    {
        private int _over;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _over, 1) == 0) slots.Release();
        }
    }
}
