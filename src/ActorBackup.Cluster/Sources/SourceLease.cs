using ActorBackup.ReQL.Net;

namespace ActorBackup.Cluster.Sources;

/// <summary>
/// A replica's (or a metadata read's) share of one connection to a source: run its queries on <see cref="Connection"/>,
/// wait for the connection's probe answers with <see cref="NextAnswerAsync"/>, and dispose it when done. The connection
/// closes when its last lease is disposed.
/// </summary>
public sealed class SourceLease : IAsyncDisposable
{
    private readonly SourceSession _session;
    private readonly SourceLane _lane;
    private int _disposed;

    internal SourceLease(SourceSession session, SourceLane lane)
    {
        _session = session;
        _lane = lane;
    }

    public Connection Connection => _lane.Connection;

    /// <summary>"host:port" of the source.</summary>
    public string Endpoint => _session.Endpoint;

    /// <summary>
    /// The answer to the next probe sent on this connection after the call: the source was delivering on it at the
    /// answer's source time. Fails once the connection is lost. <paramref name="prompt"/> sends that probe now.
    /// </summary>
    public Task<ClockSample> NextAnswerAsync(bool prompt = false) => _lane.NextAnswerAsync(prompt);

    /// <summary>
    /// Waits for this source's query budget to allow one more query that is not capture's own; dispose the turn once its
    /// answer is read.
    /// </summary>
    public Task<IDisposable> PaceAsync(CancellationToken ct = default) => _session.Budget.TakeAsync(ct);

    /// <summary>The source's time now, as this node best knows it; null before its first clock reading.</summary>
    public DateTimeOffset? SourceNowOrNull() => _session.SourceNowOrNull();

    public ValueTask DisposeAsync() =>
        Interlocked.Exchange(ref _disposed, 1) == 0 ? _session.ReleaseAsync(_lane) : ValueTask.CompletedTask;
}
