using ActorBackup.Admin.Contract;
using ActorBackup.Cluster.Capture.Pipeline;
using ActorBackup.Cluster.Capture.Replies;
using ActorBackup.Cluster.Capture.Sources;
using ActorBackup.Cluster.Positions;
using ActorBackup.Cluster.Records;
using ActorBackup.Cluster.Replica;
using ActorBackup.Cluster.Replica.Replies;

namespace ActorBackup.Cluster.Capture;

/// <summary>
/// A capture actor's state and decisions, apart from any actor: attempts, counters and the three positions of the
/// watermark (received: a checkpoint's batch is acknowledged; written: the new watermark was sent to the journal;
/// flushed: the journal made it durable).
/// </summary>
public sealed record CaptureProgress
{
    public static CaptureProgress Initial { get; } = new();

    public CapturePhase Phase { get; init; } = CapturePhase.Connecting;
    public string? Source { get; init; }
    public string? LastError { get; init; }
    public long Attempts { get; init; }
    public long Gaps { get; init; }
    public long Captured { get; init; }
    public long Quarantined { get; init; }
    public long Duplicates { get; init; }
    public long Scanned { get; init; }
    public long Deletions { get; init; }
    public Watermark ScanFrom { get; init; } = Watermark.None;

    /// <summary>
    /// Why the catch-up scan of the current attempt, or else of the last one whose scan completed, read the whole key
    /// range instead of the source's timestamp index; null when it used the index or had no reason to.
    /// </summary>
    public string? CatchUpFallback { get; init; }

    /// <summary>The attempt that reported <see cref="CatchUpFallback"/>.</summary>
    private long CatchUpFallbackAttempt { get; init; }

    /// <summary>
    /// The attempt whose catch-up scan selected votes through their blocks and may have left out a vote stamped after
    /// its scan point, as the last persisted checkpoint says: until a reconciliation asked for after that scan
    /// completes, no checkpoint of it moves the watermark. Null when nothing holds it.
    /// </summary>
    public long? WatermarkHeldBy { get; init; }

    /// <summary>The attempt after whose scan a reconciliation was asked for and completed.</summary>
    private long? ReconciledAfterScanOf { get; init; }

    /// <summary>The last attempt whose scan selected votes through their blocks, and the point that scan started from.</summary>
    private (long Attempt, Watermark From)? ScanThroughBlocks { get; init; }

    /// <summary>
    /// The point from which the reconciliation that ends the hold of <paramref name="attempt"/> lists the shard's votes by
    /// id: the point its scan started from, as a vote the scan may have left out is stamped after it; the whole shard
    /// (<see cref="Watermark.None"/>) when this progress did not see that scan complete.
    /// </summary>
    internal Watermark HoldListsFrom(long attempt) =>
        ScanThroughBlocks is { } scan && scan.Attempt == attempt ? scan.From : Watermark.None;

    /// <summary>What status says the watermark waits for while <see cref="WatermarkHeldBy"/> holds it.</summary>
    public const string HeldForReconciliation =
        "a reconciliation with the source after the catch-up of votes through their blocks, which can leave out a vote cast on an older block";

    /// <summary>The source's time (Unix seconds) when the current attempt's feed was subscribed, if known.</summary>
    public long? FeedOpenedAt { get; init; }
    public ReplicaPositions Positions { get; init; } = ReplicaPositions.None;

    /// <summary>The source the next attempt tries first.</summary>
    public int NextSource { get; init; }

    /// <summary>
    /// Starts from capture's own confirmed point: the journal's watermark may have been raised by repair or import past
    /// records capture never saw, and scanning from it would leave them out for good.
    /// </summary>
    public CaptureProgress Recovered(Watermark ownPoint) => this with { Positions = ReplicaPositions.Recovered(ownPoint) };

    /// <summary>A new attempt scans from capture's own flushed point minus the margin: the margin covers clock skew between federation nodes.</summary>
    internal (CaptureProgress Next, AttemptPlan Plan) StartAttempt(TimeSpan margin)
    {
        var attempt = Attempts + 1;
        var from = Positions.Flushed.Minus(margin);
        return (this with { Attempts = attempt, Phase = CapturePhase.Connecting, ScanFrom = from }, new AttemptPlan(attempt, from, NextSource));
    }

    /// <summary>Notices of an earlier attempt arriving late change nothing.</summary>
    internal CaptureProgress Noticed(AttemptProgress progress) => progress.Attempt != Attempts
        ? this
        : progress.Notice switch
        {
            FeedOpened opened => this with { Phase = CapturePhase.CatchingUp, Source = opened.Endpoint, FeedOpenedAt = opened.SourceSeconds },
            CatchUpByRange byRange => this with { CatchUpFallback = byRange.Reason, CatchUpFallbackAttempt = progress.Attempt },
            ScanCompleted completed => this with
            {
                Phase = CapturePhase.Live,
                CatchUpFallback = CatchUpFallbackAttempt == progress.Attempt ? CatchUpFallback : null,
                ScanThroughBlocks = completed.AwaitsReconciliation ? (progress.Attempt, ScanFrom) : ScanThroughBlocks,
            },
            _ => this,
        };

    /// <summary>A failed attempt moves to the next source; an overflow counts as a gap.</summary>
    internal CaptureProgress Ended(AttemptEnded ended, int sourceCount) => this with
    {
        Phase = ended.Attempt == Attempts ? CapturePhase.Backoff : Phase,
        FeedOpenedAt = ended.Attempt == Attempts ? null : FeedOpenedAt,
        LastError = ended.Error is null ? LastError : OneLine(ended.Error),
        Gaps = Gaps + (ended.Error is FeedOverflowException ? 1 : 0),
        NextSource = ended.Error is null ? NextSource : (NextSource + 1) % Math.Max(1, sourceCount),
    };

    internal CaptureProgress PipelineFailed(Exception error) => this with { Phase = CapturePhase.Backoff, LastError = OneLine(error), FeedOpenedAt = null };

    internal CaptureProgress Persisted(BatchPersisted batch) => this with
    {
        // A checkpoint of a scan that selected everything stamped since the point the hold kept the watermark at ends it.
        WatermarkHeldBy = batch.Checkpoint is null ? WatermarkHeldBy
            : batch.CheckpointAwaitsReconciliationOf is { } held && held != ReconciledAfterScanOf ? held : null,
        Captured = Captured + batch.Stored,
        Quarantined = Quarantined + batch.Quarantined,
        Duplicates = Duplicates + batch.Duplicates,
        Scanned = Scanned + batch.Scanned,
        Deletions = Deletions + batch.Deletions,
    };

    /// <summary>
    /// The watermark a persisted batch allows: its checkpoint's time minus the margin, since every document received
    /// before the checkpoint is now acknowledged; null when it carries none, does not move the watermark, or
    /// <see cref="WatermarkHeldBy"/> holds it.
    /// </summary>
    internal Watermark? WatermarkAllowedBy(BatchPersisted batch, TimeSpan margin)
    {
        if (batch.Checkpoint is not { } time) return null;
        if (batch.CheckpointAwaitsReconciliationOf is { } held && held != ReconciledAfterScanOf) return null;
        var allowed = Watermark.At(Math.Max(0, time - (long)Math.Ceiling(margin.TotalSeconds)));
        return allowed > Positions.Received ? allowed : null;
    }

    /// <summary>
    /// A reconciliation asked for after the scan of <paramref name="attempt"/> completed: the source held nothing of the
    /// range that the replica lacks now, so the hold of that attempt ends. One asked for after an earlier scan ends
    /// nothing: votes may have been cast on old blocks while the source was away since.
    /// </summary>
    internal CaptureProgress Reconciled(long attempt) =>
        this with { ReconciledAfterScanOf = attempt, WatermarkHeldBy = WatermarkHeldBy == attempt ? null : WatermarkHeldBy };

    internal CaptureProgress WatermarkSent(Watermark w) => this with { Positions = Positions.Write(w) };

    internal CaptureProgress WatermarkFlushed(Watermark w) => this with { Positions = Positions.Flush(w) };

    /// <summary>
    /// The status combining these counters with the journal's durable state. <paramref name="now"/> is the source's time:
    /// the lag is measured in the clock the watermark is in. While live, the watermark rests on a feed followed without
    /// a break since it was subscribed (after a scan from <see cref="ScanFrom"/>).
    /// </summary>
    public CaptureStatus Status(ReplicaId replica, ReplicaStatus? journal, DateTimeOffset? now)
    {
        var flushed = journal is null ? Positions.Flushed : Watermark.Max(Positions.Flushed, journal.BackedUpTo);
        long? lag = flushed.IsNone || now is not { } sourceNow ? null : Math.Max(0, sourceNow.ToUnixTimeSeconds() - flushed.Seconds);
        return new CaptureStatus(replica, Phase, Source, LastError, Captured, Quarantined, Duplicates, Math.Max(0, Attempts - 1), Gaps,
            Scanned, ScanFrom, flushed, lag, journal?.StoredCount ?? 0, journal?.QuarantinedCount ?? 0,
            journal?.Digest ?? ShardDigest.Empty, Phase == CapturePhase.Live ? FeedOpenedAt : null, CatchUpFallback,
            WatermarkHeld: WatermarkHeldBy is null ? null : HeldForReconciliation);
    }

    private static string OneLine(Exception error)
    {
        var message = $"{error.GetType().Name}: {error.Message}";
        var end = message.IndexOfAny(['\r', '\n']);
        return end < 0 ? message : message[..end];
    }
}
