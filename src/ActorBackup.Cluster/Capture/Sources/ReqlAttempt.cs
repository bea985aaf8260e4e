using System.Runtime.InteropServices;
using System.Text.Json;
using ActorBackup.Cluster.Capture.Pipeline;
using ActorBackup.Cluster.Settings;
using ActorBackup.ReQL.Net;
using Akka.Util;

namespace ActorBackup.Cluster.Capture.Sources;

/// <summary>
/// One attempt against the sources: the connection, the feed subscribed before anything is read, then the scan
/// on the same connection, then the feed. The feed is not read during the scan: its changes wait in the server's
/// queue (and a queue overflow surfaces as a <see cref="FeedOverflowException"/>).
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
    private Stage _stage = Stage.Opened;

    private enum Stage { Opened, Scanning, Live }

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
        var template = new ConnectionOptions
        {
            User = settings.Credentials.User,
            Password = settings.Credentials.Password,
            Db = settings.Database,
        };
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
                _stage = Stage.Live;
                _changes = _feed.GetAsyncEnumerator();
                return ScanCompleted.Instance;
            default:
                return await NextChangeAsync();
        }
    }

    private async Task<Option<CaptureElement>> NextChangeAsync()
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
        await CloseScanAsync();
        if (_changes is not null) await _changes.DisposeAsync();
        await _feed.DisposeAsync();
        await _pool.DisposeAsync();
    }
}
