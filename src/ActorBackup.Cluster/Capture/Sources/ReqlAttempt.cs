using System.Runtime.InteropServices;
using System.Text.Json;
using ActorBackup.Cluster.Capture.Pipeline;
using ActorBackup.Cluster.Settings;
using ActorBackup.ReQL.Ast;
using ActorBackup.ReQL.Errors;
using ActorBackup.ReQL.Net;
using Akka.Util;

namespace ActorBackup.Cluster.Capture.Sources;

/// <summary>
/// One attempt against the sources: the connection, the feed subscribed before anything is read, then the scan
/// on the same connection, then the feed. The feed is not read during the scan: its changes wait in the server's
/// queue (and a queue overflow surfaces as a <see cref="FeedOverflowException"/>). A network that drops every
/// packet breaks nothing the driver sees for as long as TCP keeps retrying, so the attempt asks the server a
/// trivial question every <see cref="SourceProbeSettings.Interval"/> and emits <see cref="SourceReachable"/> for each
/// answer; an answer missing for <see cref="SourceProbeSettings.Timeout"/> fails the attempt. The watermark never
/// passes the last answer, so the timeout bounds only how soon a silent source shows as lost and is replaced; it is
/// generous because a restart costs a catch-up scan, and a busy source that answers late is better waited for than
/// reconnected to.
/// </summary>
internal sealed class ReqlAttempt : IAsyncDisposable
{
    private readonly BackupSettings _settings;
    private readonly CaptureRequest _request;
    private readonly ConnectionPool _pool;
    private readonly Changefeed _feed;
    private IAsyncEnumerator<Change>? _changes;
    private Cursor? _scan;
    private IAsyncEnumerator<JsonElement>? _scanned;
    private Task<CaptureElement>? _nextChange;
    private Task<SourceReachable>? _probe;
    private readonly CancellationTokenSource _stopping = new();
    private Stage _stage = Stage.Opened;

    private enum Stage { Opened, Scanning, Confirming, Live }

    private ReqlAttempt(BackupSettings settings, CaptureRequest request, ConnectionPool pool, Changefeed feed)
    {
        _settings = settings;
        _request = request;
        _pool = pool;
        _feed = feed;
    }

    public static async Task<ReqlAttempt> StartAsync(BackupSettings settings, CaptureRequest request)
    {
        var count = settings.Sources.Count;
        var hosts = Enumerable.Range(0, count).Select(i => settings.Sources[(request.FirstSource + i) % count].ToString());
        var template = settings.Source.Options(settings.Credentials) with { Db = settings.Database };
        var pool = await ConnectionPool.ConnectAsync(string.Join(",", hosts), template);
        try
        {
            var range = request.Range;
            var feed = await ScanQuery.Range(settings.Database, request.Replica.Table, range.Lower, range.Upper).Changes().RunChangesAsync(pool);
            return new ReqlAttempt(settings, request, pool, feed);
        }
        catch
        {
            await pool.DisposeAsync();
            throw;
        }
    }

    public async Task<Option<CaptureElement>> NextAsync()
    {
        switch (_stage)
        {
            case Stage.Opened:
                _stage = Stage.Scanning;
                return new FeedOpened(_pool.CurrentEndpoint ?? "unknown");
            case Stage.Scanning:
                if (_scanned is null)
                {
                    var range = _request.Range;
                    _scan = await ScanQuery.Scan(_settings.Database, _request.Replica.Table, range.Lower, range.Upper, _request.ScanFrom).RunCursorAsync(_pool);
                    _scanned = _scan.GetAsyncEnumerator();
                }
                if (await _scanned.MoveNextAsync())
                    return new SourceDocument(RawBytes(_scanned.Current), DocumentOrigin.Scan);
                await CloseScanAsync();
                _stage = Stage.Confirming;
                return await ProbeAsync(TimeSpan.Zero);
            case Stage.Confirming:
                _stage = Stage.Live;
                _changes = _feed.GetAsyncEnumerator();
                return ScanCompleted.Instance;
            default:
                return await NextLiveAsync();
        }
    }

    /// <summary>The next change, or a confirmation when the next probe is answered first; a pending change wins a tie.</summary>
    private async Task<CaptureElement> NextLiveAsync()
    {
        _nextChange ??= NextChangeAsync();
        _probe ??= ProbeAsync(_settings.SourceProbe.Interval);
        await Task.WhenAny(_nextChange, _probe);
        if (_nextChange.IsCompleted)
        {
            var change = _nextChange;
            _nextChange = null;
            return await change;
        }
        var probe = _probe;
        _probe = null;
        return await probe;
    }

    /// <summary>
    /// Asks the server for a constant after <paramref name="delay"/> and answers the time the question was sent,
    /// provided the feed is still open then: an answer on a connection the pool made after the feed's broke proves nothing.
    /// </summary>
    private async Task<SourceReachable> ProbeAsync(TimeSpan delay)
    {
        await Task.Delay(delay, _stopping.Token);
        var sent = _request.Clock().ToUnixTimeSeconds();
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
        limit.CancelAfter(_settings.SourceProbe.Timeout);
        try
        {
            await R.Expr(1).RunAtomAsync(_pool, limit.Token);
        }
        catch (OperationCanceledException) when (!_stopping.IsCancellationRequested)
        {
            throw new ReqlConnectionError(
                $"{_pool.CurrentEndpoint ?? "the source"} did not answer within {_settings.SourceProbe.Timeout.TotalSeconds:0.#} s (actorbackup.source-probe.timeout); the network may be dropping its packets");
        }
        if (!_feed.IsOpen)
            throw new ReqlConnectionError($"the changefeed on {_pool.CurrentEndpoint ?? "the source"} closed");
        return new SourceReachable(sent);
    }

    private async Task<CaptureElement> NextChangeAsync()
    {
        while (await _changes!.MoveNextAsync())
        {
            var change = _changes.Current;
            if (change.Error is not null) throw new FeedOverflowException(change.Error);
            if (change.NewValue is { } document) return new SourceDocument(RawBytes(document), DocumentOrigin.Feed);
            if (change.OldValue is not null) return SourceDeletion.Instance;
        }
        throw new InvalidOperationException("The changefeed ended although a feed never ends by itself (table dropped or server shutting down).");
    }

    /// <summary>The element's own bytes as the server sent them, so every number and string token stays exact.</summary>
    private static ReadOnlyMemory<byte> RawBytes(JsonElement element) => JsonMarshal.GetRawUtf8Value(element).ToArray();

    private async Task CloseScanAsync()
    {
        if (_scanned is not null) await _scanned.DisposeAsync();
        if (_scan is not null) await _scan.DisposeAsync();
        _scanned = null;
        _scan = null;
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        await CloseScanAsync();
        if (_changes is not null) await _changes.DisposeAsync();
        await _feed.DisposeAsync();
        await _pool.DisposeAsync();
        // Both may still be pending when the stream is cancelled. They end with the feed and the pool; their failure
        // then says only that the attempt was closed, so it is read (and thereby observed) and let go.
        foreach (var pending in new Task?[] { _nextChange, _probe })
        {
            if (pending is null) continue;
            await Task.WhenAny(pending);
            _ = pending.Exception;
        }
        _stopping.Dispose();
    }
}
