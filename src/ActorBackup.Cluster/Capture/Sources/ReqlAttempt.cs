using System.Runtime.InteropServices;
using System.Text.Json;
using ActorBackup.Admin.Contract;
using ActorBackup.Cluster.Capture.Pipeline;
using ActorBackup.Cluster.Settings;
using ActorBackup.Cluster.Sources;
using ActorBackup.Ledger.Documents;
using ActorBackup.ReQL.Errors;
using ActorBackup.ReQL.Net;
using Akka.Util;

namespace ActorBackup.Cluster.Capture.Sources;

/// <summary>
/// One attempt against the sources, on a lease of the node's shared connection: the feed subscribed before anything is
/// read, then the scan on the same connection, then the feed. The feed is not read during the scan: its changes wait in
/// the server's queue (and a queue overflow surfaces as a <see cref="FeedOverflowException"/>). The connection's probe
/// (<see cref="SourceLane"/>) asks the source for its time every <see cref="SourceProbeSettings.Interval"/>; each answer
/// becomes a <see cref="SourceReachable"/> in the source's time, and the watermark never passes the last one. The answer
/// right after the scan confirms no more than the feed's subscription, since what the feed queued meanwhile is still
/// unread. A probe that goes unanswered aborts the connection, which fails this attempt with the reason.
/// </summary>
internal sealed class ReqlAttempt : IAsyncDisposable
{
    private readonly BackupSettings _settings;
    private readonly CaptureRequest _request;
    private readonly SourceLease _lease;
    private readonly Changefeed _feed;
    private readonly long _feedOpenedAt;
    private readonly CatchUpReads _catchUps;
    private IAsyncEnumerator<Change>? _changes;
    private Cursor? _scan;
    private IAsyncEnumerator<JsonElement>? _scanned;
    private CatchUpMember? _joined;
    private bool _scanOpened;
    private Task<CaptureElement>? _nextChange;
    private Task<ClockSample>? _probe;
    /// <summary>The scan selects votes through their blocks, so its completion awaits a reconciliation.</summary>
    private bool _votesThroughBlocks;
    private Stage _stage = Stage.Opened;

    private enum Stage { Opened, Scanning, Confirming, Live }

    private ReqlAttempt(BackupSettings settings, CaptureRequest request, SourceLease lease, Changefeed feed, long feedOpenedAt,
        CatchUpReads catchUps)
    {
        _settings = settings;
        _catchUps = catchUps;
        _request = request;
        _lease = lease;
        _feed = feed;
        _feedOpenedAt = feedOpenedAt;
    }

    /// <param name="catchUps">The node's catch-up reads through the indexes, which this attempt joins after a watermark.</param>
    internal static async Task<ReqlAttempt> StartAsync(BackupSettings settings, SourceSessions sources, CaptureRequest request, CatchUpReads catchUps)
    {
        var lease = await sources.AcquireAsync(request.FirstSource, CancellationToken.None);
        try
        {
            var range = request.Range;
            // Read before the subscription, so that it is no later than the subscription: what a scan confirms (NextAsync).
            // A lane measures its source's clock before it serves any lease, so it is known.
            var opened = lease.SourceNowOrNull()?.ToUnixTimeSeconds()
                ?? throw new InvalidOperationException($"the time of {lease.Endpoint} is not known yet, so a feed subscribed now could not say from when it delivers");
            var feed = await ScanQuery.Range(settings.Database, request.Replica.Table, range.Lower, range.Upper).Changes().RunChangesAsync(lease.Connection);
            return new ReqlAttempt(settings, request, lease, feed, opened, catchUps);
        }
        catch
        {
            await lease.DisposeAsync();
            throw;
        }
    }

    public async Task<Option<CaptureElement>> NextAsync()
    {
        switch (_stage)
        {
            case Stage.Opened:
                _stage = Stage.Scanning;
                return new FeedOpened(_lease.Endpoint, _feedOpenedAt);
            case Stage.Scanning:
                if (!_scanOpened && await OpenScanAsync() is { } byRange)
                    return byRange;
                if (await NextScannedAsync() is { } scanned)
                    return scanned;
                await CloseScanAsync();
                _stage = Stage.Confirming;
                // The scan is complete: the source is asked now, rather than at the next interval, whether it still answers
                // with the feed open. Its answer confirms only the feed's subscription: what was committed before it was in
                // the scan, and what was committed since waits unread in the feed's queue (on the server, but for the
                // batches the driver fetched ahead), however long the scan took. A confirmation of the answer's own time
                // would let a checkpoint claim those records before they are read.
                var answer = await _lease.NextAnswerAsync(prompt: true);
                return Reachable(Math.Min(_feedOpenedAt, answer.SourceSeconds));
            case Stage.Confirming:
                _stage = Stage.Live;
                _changes = _feed.GetAsyncEnumerator();
                return _votesThroughBlocks ? ScanCompleted.ThroughBlocks : ScanCompleted.Instance;
            default:
                return await NextLiveAsync();
        }
    }

    /// <summary>
    /// Opens the catch-up scan: after a watermark through the source's indexes when it has them (blocks through their
    /// timestamp index, votes through the blocks they vote for), in a read shared with the node's other replicas that
    /// catch up the table from this source at about the same time (<see cref="SharedCatchUp"/>); otherwise, and for a
    /// replica without a watermark, through the shard's key range. Returns the notice of a scan that could have used the
    /// indexes but reads the range instead, or null; a source without the indexes says so through the shared read.
    /// </summary>
    private async Task<CatchUpByRange?> OpenScanAsync()
    {
        _scanOpened = true;
        var table = _request.Replica.Table;
        var from = _request.ScanFrom;
        if (from.IsNone)
        {
            await OpenRangeScanAsync();
            return null;
        }
        var blocksFrom = ScanQuery.BlocksFrom(table, from, _settings.CatchUpVoteDelay);
        string reason;
        if (RecordKinds.Of(table) == RecordKind.Vote && !_settings.Reconcile.Enabled)
        {
            reason = "reconciliation is off (actorbackup.reconcile.enabled), and a catch-up of votes through their blocks would leave a vote cast more than catch-up-vote-delay after its block to it";
        }
        else if (!ScanQuery.CanUseTimestampIndex(blocksFrom, _feedOpenedAt))
        {
            reason = $"the scan point {blocksFrom.Seconds} has fewer digits than the source's time {_feedOpenedAt}, so the {LedgerTables.BlockTimestampIndex} index does not order the timestamps in between";
        }
        else
        {
            // The feed is subscribed (StartAsync), so the shared read, which starts only after this joined, misses nothing the feed will not bring.
            _joined = _catchUps.Join(_lease.Endpoint, table, _request.Range, from);
            _votesThroughBlocks = RecordKinds.Of(table) == RecordKind.Vote;
            return null;
        }
        await OpenRangeScanAsync();
        return new CatchUpByRange(reason);
    }

    /// <summary>
    /// The next document of the scan, or null when it is complete. A shared read through the indexes that cannot be
    /// (an index missing, or the server failing the index read: a block without a timestamp trips some servers) is
    /// replaced by the range scan, which selects every document it would have and the ones it missed; the documents read
    /// twice are dropped as repeats.
    /// </summary>
    private async Task<CaptureElement?> NextScannedAsync()
    {
        if (_joined is { } joined)
        {
            switch (await joined.NextAsync())
            {
                case CatchUpDocument document:
                    return new SourceDocument(document.Json, DocumentOrigin.Scan);
                case CatchUpFallback fallback:
                    await CloseScanAsync();
                    await OpenRangeScanAsync();
                    return new CatchUpByRange(fallback.Reason);
                default:
                    return null;
            }
        }
        return await _scanned!.MoveNextAsync() ? new SourceDocument(RawBytes(_scanned.Current), DocumentOrigin.Scan) : null;
    }

    private async Task OpenRangeScanAsync()
    {
        var range = _request.Range;
        _votesThroughBlocks = false;
        _scan = await ScanQuery.Scan(_settings.Database, _request.Replica.Table, range.Lower, range.Upper, _request.ScanFrom)
            .RunCursorAsync(_lease.Connection);
        _scanned = _scan.GetAsyncEnumerator();
    }

    /// <summary>The next change, or a confirmation when the next probe is answered first; a pending change wins a tie.</summary>
    private async Task<CaptureElement> NextLiveAsync()
    {
        _nextChange ??= NextChangeAsync();
        _probe ??= _lease.NextAnswerAsync();
        await Task.WhenAny(_nextChange, _probe);
        if (_nextChange.IsCompleted)
        {
            var change = _nextChange;
            _nextChange = null;
            return await change;
        }
        var probe = _probe;
        _probe = null;
        return Reachable(await probe);
    }

    /// <summary>
    /// The source answered on the feed's own connection, so the feed was delivering at the answer's source time,
    /// provided the feed is still open: a feed the server ended proves nothing.
    /// </summary>
    private SourceReachable Reachable(ClockSample answer) => Reachable(answer.SourceSeconds);

    private SourceReachable Reachable(long sourceSeconds) => _feed.IsOpen
        ? new SourceReachable(sourceSeconds)
        : throw new ReqlConnectionError($"the changefeed on {_lease.Endpoint} closed");

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
        _joined?.Leave();
        _joined = null;
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
        // A pending change ends with the feed; a pending probe answer may outlive this attempt on the shared connection.
        // Either failure says only that the attempt was closed, so it is observed and let go.
        if (_nextChange is { } change)
        {
            await Task.WhenAny(change);
            _ = change.Exception;
        }
        _ = _probe?.ContinueWith(t => t.Exception, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously);
        await _lease.DisposeAsync();
    }
}
