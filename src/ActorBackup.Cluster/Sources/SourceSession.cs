using ActorBackup.Admin.Contract.Status;
using ActorBackup.Cluster.Settings;
using ActorBackup.ReQL.Errors;
using ActorBackup.ReQL.Net;
using Akka.Event;

namespace ActorBackup.Cluster.Sources;

/// <summary>
/// A node's connections to one source: a lease goes to an open connection with room
/// (<see cref="SourceConnectionSettings.ReplicasPerConnection"/>), or to a new one, opened by one caller while the
/// others wait for it, so that a source coming back sees one reconnect, not one per replica. A source that could not be
/// reached is skipped for <see cref="SourceConnectionSettings.HostBackoff"/>. A connection closes with its last lease.
/// </summary>
public sealed class SourceSession : IAsyncDisposable
{
    private readonly ConnectionOptions _options;
    private readonly SourceProbeSettings _probe;
    private readonly int _perConnection;
    private readonly TimeSpan _hostBackoff;
    private readonly Func<DateTimeOffset> _clock;
    private readonly ILoggingAdapter _log;
    private readonly SemaphoreSlim _connecting = new(1, 1);
    private readonly List<SourceLane> _lanes = [];
    private string? _warning;
    private volatile string? _lastError;
    private long _connects;

    internal SourceSession(HostPort source, BackupSettings settings, Func<DateTimeOffset> clock, ILoggingAdapter log)
    {
        Endpoint = source.ToString();
        _options = settings.Source.Options(settings.Credentials, settings.SourceTls) with { Host = source.Host, Port = source.Port, Db = settings.Database };
        _probe = settings.SourceProbe;
        _perConnection = settings.Source.ReplicasPerConnection;
        _hostBackoff = settings.Source.HostBackoff;
        _clock = clock;
        _log = log;
        Clock = new SourceClock(settings.SourceClock);
        Budget = new SourceQueryBudget(settings.Reconcile.QueriesPerSecond, settings.Reconcile.QueriesInFlight);
    }

    /// <summary>"host:port".</summary>
    public string Endpoint { get; }

    public SourceClock Clock { get; }

    /// <summary>The queries per second this node's reconciliation may send this source (<c>actorbackup.reconcile.queries-per-second</c>).</summary>
    public SourceQueryBudget Budget { get; }

    /// <summary>Until when a failed connect keeps this source behind the others (by this node's clock).</summary>
    public DateTimeOffset RetryAfter { get; private set; } = DateTimeOffset.MinValue;

    /// <summary>Connections opened so far, reconnects included.</summary>
    public long Connects => Interlocked.Read(ref _connects);

    /// <summary>The source's time now by the best clock reading, or null before the first.</summary>
    public DateTimeOffset? SourceNowOrNull() => Clock.Best is { } best ? best.SourceTimeNow() : null;

    /// <summary>A share of an open connection, connecting first if none has room.</summary>
    /// <exception cref="ReqlError">The source could not be reached or refused the login (and is skipped for a while).</exception>
    public async Task<SourceLease> AcquireAsync(CancellationToken ct)
    {
        if (TryLease() is { } lease)
            return lease;
        await _connecting.WaitAsync(ct);
        try
        {
            // Whoever connected while this caller waited has made room for it too.
            if (TryLease() is { } shared)
                return shared;
            SourceLane lane;
            try
            {
                lane = await SourceLane.OpenAsync(_options, Endpoint, _probe, _clock, Measured, ct);
            }
            catch (ReqlError e)
            {
                RetryAfter = _clock() + _hostBackoff;
                _lastError = e.Message;
                throw;
            }
            Interlocked.Increment(ref _connects);
            RetryAfter = DateTimeOffset.MinValue;
            _lastError = null;
            lock (_lanes)
            {
                _lanes.Add(lane);
                lane.Leases = 1;
            }
            return new SourceLease(this, lane);
        }
        finally
        {
            _connecting.Release();
        }
    }

    private SourceLease? TryLease()
    {
        lock (_lanes)
        {
            var lane = _lanes.FirstOrDefault(l => l.IsOpen && l.Leases < _perConnection);
            if (lane is null)
                return null;
            lane.Leases++;
            return new SourceLease(this, lane);
        }
    }

    internal async ValueTask ReleaseAsync(SourceLane lane)
    {
        lock (_lanes)
        {
            if (--lane.Leases > 0)
                return;
            _lanes.Remove(lane);
        }
        if (lane.Connection.BreakReason is { } reason)
            _lastError = reason.Message;
        await lane.DisposeAsync();
    }

    /// <summary>What status shows of this source.</summary>
    public SourceEntry Report()
    {
        int connections, leases;
        lock (_lanes)
        {
            var open = _lanes.Where(l => l.IsOpen).ToArray();
            connections = open.Length;
            leases = open.Sum(l => l.Leases);
        }
        var best = Clock.Best;
        return new SourceEntry(Endpoint, connections, leases,
            best?.Offset.TotalMilliseconds, best?.Uncertainty.TotalMilliseconds, best?.Sent,
            best is { } b ? Clock.WarningFor(b) : null, _lastError);
    }

    private void Measured(ClockSample sample)
    {
        Clock.Record(sample);
        if (Clock.Best is not { } best)
            return;
        var warning = Clock.WarningFor(best);
        var previous = Interlocked.Exchange(ref _warning, warning);
        if (warning is not null && previous is null)
            _log.Warning("Source {0}: {1}; this node's clock or the source's is off. Watermarks follow the source's clock.", Endpoint, warning);
        else if (warning is null && previous is not null)
            _log.Info("Source {0}: clock offset {1}, within actorbackup.source-clock.warn-offset again.", Endpoint, SourceClock.Describe(best));
    }

    /// <summary>Closes every connection; leases still held fail on their next query.</summary>
    public async ValueTask DisposeAsync()
    {
        SourceLane[] lanes;
        lock (_lanes)
        {
            lanes = _lanes.ToArray();
            _lanes.Clear();
        }
        foreach (var lane in lanes)
            await lane.DisposeAsync();
    }
}
