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
/// becomes a <see cref="SourceReachable"/> in the source's time, and the watermark never passes the last one. A probe
/// that goes unanswered aborts the connection, which fails this attempt with the reason.
/// </summary>
internal sealed class ReqlAttempt : IAsyncDisposable
{
    private readonly BackupSettings _settings;
    private readonly CaptureRequest _request;
    private readonly SourceLease _lease;
    private readonly Changefeed _feed;
    private readonly long? _feedOpenedAt;
    private readonly IReadOnlyCollection<string> _voters;
    private IAsyncEnumerator<Change>? _changes;
    private Cursor? _scan;
    private IAsyncEnumerator<JsonElement>? _scanned;
    private Task<CaptureElement>? _nextChange;
    private Task<ClockSample>? _probe;
    private bool _scanByIndex;
    /// <summary>The scan selects votes through their blocks, so its completion awaits a reconciliation.</summary>
    private bool _votesThroughBlocks;
    private Stage _stage = Stage.Opened;

    /// <summary>
    /// Blocks whose votes one query asks for: with a key per block and voter, a query stays far below RethinkDB's
    /// 100,000-element array limit and its answer below a batch or two.
    /// </summary>
    private const int BlocksPerVoteQuery = 200;

    private enum Stage { Opened, Scanning, Confirming, Live }

    private ReqlAttempt(BackupSettings settings, CaptureRequest request, SourceLease lease, Changefeed feed, long? feedOpenedAt,
        IReadOnlyCollection<string> voters)
    {
        _settings = settings;
        _voters = voters;
        _request = request;
        _lease = lease;
        _feed = feed;
        _feedOpenedAt = feedOpenedAt;
    }

    /// <param name="voters">The federation's nodes' public keys, whose votes a catch-up of votes asks for.</param>
    public static async Task<ReqlAttempt> StartAsync(BackupSettings settings, SourceSessions sources, CaptureRequest request, IReadOnlyCollection<string> voters)
    {
        var lease = await sources.AcquireAsync(request.FirstSource, CancellationToken.None);
        try
        {
            var range = request.Range;
            var feed = await ScanQuery.Range(settings.Database, request.Replica.Table, range.Lower, range.Upper).Changes().RunChangesAsync(lease.Connection);
            return new ReqlAttempt(settings, request, lease, feed, lease.SourceNowOrNull()?.ToUnixTimeSeconds(), voters);
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
                if (_scanned is null && await OpenScanAsync() is { } byRange)
                    return byRange;
                if (await NextScannedAsync() is { } scanned)
                    return scanned;
                await CloseScanAsync();
                _stage = Stage.Confirming;
                // The first confirmation is asked for now rather than at the next interval: the scan is complete.
                return Reachable(await _lease.NextAnswerAsync(prompt: true));
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
    /// timestamp index, votes through the blocks they vote for), otherwise, and for a replica without a watermark,
    /// through the shard's key range. Returns the notice of a scan that could have used the indexes but reads the range
    /// instead, or null.
    /// </summary>
    private async Task<CatchUpByRange?> OpenScanAsync()
    {
        var table = _request.Replica.Table;
        var from = _request.ScanFrom;
        if (from.IsNone)
        {
            await OpenRangeScanAsync();
            return null;
        }
        var blocksFrom = ScanQuery.BlocksFrom(table, from, _settings.CatchUpVoteDelay);
        var sourceNow = _feedOpenedAt ?? _lease.SourceNowOrNull()?.ToUnixTimeSeconds() ?? from.Seconds;
        string reason;
        if (RecordKinds.Of(table) == RecordKind.Vote && !_settings.Reconcile.Enabled)
        {
            reason = "reconciliation is off (actorbackup.reconcile.enabled), and a catch-up of votes through their blocks would leave a vote cast more than catch-up-vote-delay after its block to it";
        }
        else if (!ScanQuery.CanUseTimestampIndex(blocksFrom, sourceNow))
        {
            reason = $"the scan point {blocksFrom.Seconds} has fewer digits than the source's time {sourceNow}, so the {LedgerTables.BlockTimestampIndex} index does not order the timestamps in between";
        }
        else
        {
            try
            {
                if (await MissingIndexAsync(table) is not { } missing)
                {
                    var range = _request.Range;
                    if (RecordKinds.Of(table) == RecordKind.Block)
                    {
                        _scan = await ScanQuery.TimestampIndexScan(_settings.Database, table, range.Lower, range.Upper, from).RunCursorAsync(_lease.Connection);
                        _scanned = _scan.GetAsyncEnumerator();
                    }
                    else
                    {
                        _scanned = VotesThroughBlocksAsync(from, blocksFrom).GetAsyncEnumerator();
                        _votesThroughBlocks = true;
                    }
                    _scanByIndex = true;
                    return null;
                }
                reason = $"{_lease.Endpoint} has no {missing.Index} index on {_settings.Database}.{missing.Table}";
            }
            catch (ReqlError e) when (e is not ReqlConnectionError)
            {
                await CloseScanAsync();
                reason = IndexScanFailed(e);
            }
        }
        await OpenRangeScanAsync();
        return new CatchUpByRange(reason);
    }

    /// <summary>
    /// The votes of the range cast at or after <paramref name="from"/>, read through the blocks they vote for: the ids of
    /// the blocks stamped since <paramref name="blocksFrom"/>, and for every <see cref="BlocksPerVoteQuery"/> of them the
    /// federation's nodes' votes on them through <c>block_and_voter</c>, one key per block and voter. A vote signed by
    /// no federation node, which verification would reject anyway, is not read here: reconciliation finds it.
    /// </summary>
    private async IAsyncEnumerable<JsonElement> VotesThroughBlocksAsync(Watermark from, Watermark blocksFrom)
    {
        await using var blocks = await ScanQuery.BlockIdsSince(_settings.Database, blocksFrom).RunCursorAsync(_lease.Connection);
        var chunk = new List<string>(BlocksPerVoteQuery);
        await foreach (var id in blocks)
        {
            // A block id that is not a string is no BigchainDB block; votes on it reach quarantine through reconciliation.
            if (id.ValueKind == JsonValueKind.String) chunk.Add(id.GetString()!);
            if (chunk.Count < BlocksPerVoteQuery) continue;
            await using (var votes = await VotesOnAsync(chunk, from))
                await foreach (var vote in votes) yield return vote;
            chunk.Clear();
        }
        if (chunk.Count == 0) yield break;
        await using var last = await VotesOnAsync(chunk, from);
        await foreach (var vote in last) yield return vote;
    }

    /// <summary>The federation's votes of this replica's range on <paramref name="blocks"/>, cast at or after <paramref name="from"/>.</summary>
    private Task<Cursor> VotesOnAsync(IReadOnlyCollection<string> blocks, Watermark from)
    {
        var range = _request.Range;
        return ScanQuery.VotesOn(_settings.Database, _request.Replica.Table, range.Lower, range.Upper, from, blocks, _voters).RunCursorAsync(_lease.Connection);
    }

    /// <summary>The first index a catch-up of <paramref name="table"/> needs that the source lacks, or null when it has them all.</summary>
    private async Task<(string Table, string Index)?> MissingIndexAsync(string table)
    {
        foreach (var onTable in ScanQuery.CatchUpIndexes(table).GroupBy(i => i.Table))
        {
            var indexes = await ScanQuery.IndexList(_settings.Database, onTable.Key).RunAtomAsync(_lease.Connection);
            var present = indexes.EnumerateArray().Where(i => i.ValueKind == JsonValueKind.String).Select(i => i.GetString()).ToHashSet();
            foreach (var needed in onTable)
                if (!present.Contains(needed.Index)) return needed;
        }
        return null;
    }

    /// <summary>
    /// The next document of the scan, or null when it is complete. An index scan the server cannot finish (a block
    /// without a timestamp trips some servers) is replaced by the range scan, which selects every document it would
    /// have and the ones it missed; the documents read twice are dropped as repeats.
    /// </summary>
    private async Task<CaptureElement?> NextScannedAsync()
    {
        try
        {
            return await _scanned!.MoveNextAsync() ? new SourceDocument(RawBytes(_scanned.Current), DocumentOrigin.Scan) : null;
        }
        catch (ReqlError e) when (_scanByIndex && e is not ReqlConnectionError)
        {
            await CloseScanAsync();
            await OpenRangeScanAsync();
            return new CatchUpByRange(IndexScanFailed(e));
        }
    }

    private async Task OpenRangeScanAsync()
    {
        var range = _request.Range;
        _scanByIndex = false;
        _votesThroughBlocks = false;
        _scan = await ScanQuery.Scan(_settings.Database, _request.Replica.Table, range.Lower, range.Upper, _request.ScanFrom)
            .RunCursorAsync(_lease.Connection);
        _scanned = _scan.GetAsyncEnumerator();
    }

    private string IndexScanFailed(ReqlError e)
    {
        var indexes = ScanQuery.CatchUpIndexes(_request.Replica.Table).Select(i => i.Index).ToArray();
        var named = indexes.Length == 1 ? $"the {indexes[0]} index" : $"the {string.Join(" and ", indexes)} indexes";
        return $"reading {named} on {_lease.Endpoint} failed: {e.GetType().Name}: {e.Message}";
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
    private SourceReachable Reachable(ClockSample answer) => _feed.IsOpen
        ? new SourceReachable(answer.SourceSeconds)
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
