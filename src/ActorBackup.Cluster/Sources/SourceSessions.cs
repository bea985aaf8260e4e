using ActorBackup.Admin.Contract.Status;
using ActorBackup.Cluster.Settings;
using ActorBackup.ReQL.Errors;
using Akka.Event;

namespace ActorBackup.Cluster.Sources;

/// <summary>
/// Everything a node says to the federation's RethinkDB servers goes through here: one <see cref="SourceSession"/> per
/// configured source, so every replica's feed and scan, and the table metadata reads, share one connection per source
/// (RethinkDB multiplexes queries by token) with one probe per connection instead of one per replica. Leases are
/// handed out in failover order: the preferred source first, then the others in their configured order, sources that
/// just failed last.
/// </summary>
public sealed class SourceSessions : IAsyncDisposable
{
    private readonly Func<DateTimeOffset> _clock;
    private readonly SourceSession[] _sessions;

    /// <param name="clock">This node's clock, against which the sources' offsets are measured; a test may skew it.</param>
    public SourceSessions(BackupSettings settings, Func<DateTimeOffset> clock, ILoggingAdapter log)
    {
        _clock = clock;
        _sessions = settings.Sources.Select(s => new SourceSession(s, settings, clock, log)).ToArray();
    }

    public IReadOnlyList<SourceSession> Sessions => _sessions;

    /// <summary>A lease on the first source of the failover order from <paramref name="first"/> that can be reached.</summary>
    /// <exception cref="ReqlError">None could; a connection error names each source's failure, another error is the first non-transient one.</exception>
    public async Task<SourceLease> AcquireAsync(int first, CancellationToken ct)
    {
        var failures = new List<string>();
        foreach (var session in Order(first))
        {
            try
            {
                return await session.AcquireAsync(ct);
            }
            catch (ReqlError e) when (e.IsTransient)
            {
                failures.Add($"{session.Endpoint}: {e.Message}");
            }
        }
        throw new ReqlConnectionError($"No source could be reached ({string.Join("; ", failures)}).", querySent: false);
    }

    /// <summary>
    /// The sources' time now, as this node best knows it: the best reading of the source read most recently plus the
    /// time elapsed since, or null before any source answered (this node's own clock is not the source's).
    /// </summary>
    public DateTimeOffset? SourceNowOrNull()
    {
        var measured = _sessions.Where(s => s.Clock.Best is not null).MaxBy(s => s.Clock.Best!.Value.Sent);
        return measured?.SourceNowOrNull();
    }

    /// <summary>Each source as status shows it, in configured order.</summary>
    public IReadOnlyList<SourceEntry> Report() => _sessions.Select(s => s.Report()).ToArray();

    /// <summary>Sources from <paramref name="first"/> on in configured order, those backing off after a failure last (soonest retry first).</summary>
    private IEnumerable<SourceSession> Order(int first)
    {
        var now = _clock();
        var rotated = Enumerable.Range(0, _sessions.Length).Select(i => _sessions[(first + i) % _sessions.Length]).ToArray();
        return rotated.Where(s => s.RetryAfter <= now).Concat(rotated.Where(s => s.RetryAfter > now).OrderBy(s => s.RetryAfter));
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var session in _sessions)
            await session.DisposeAsync();
    }
}
