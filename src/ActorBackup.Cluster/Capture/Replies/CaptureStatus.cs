using ActorBackup.Admin.Contract;
using ActorBackup.Cluster.Messages;
using ActorBackup.Cluster.Reconcile;
using ActorBackup.Cluster.Records;
using ActorBackup.Cluster.Replica;

namespace ActorBackup.Cluster.Capture.Replies;

/// <summary>
/// A replica's capture: its own counters since the actor started, and its journal's durable state. Only the
/// flushed watermark is reported; it is what the replica may claim as backed up.
/// </summary>
/// <param name="Source">"host:port" of the source of the current (or last) attempt, null before the first feed opened.</param>
/// <param name="LastError">One line on why the last attempt ended, null if none failed.</param>
/// <param name="RecordsCaptured">Records this actor stored new in the journal.</param>
/// <param name="Quarantined">Records this actor newly put in quarantine.</param>
/// <param name="Duplicates">Documents received again (dropped by the recent window or already in the journal).</param>
/// <param name="Restarts">Attempts after the first.</param>
/// <param name="Gaps">Changefeed overflows (changes lost by the server, repaired by the next scan).</param>
/// <param name="RecordsScanned">Documents read by catch-up scans.</param>
/// <param name="ScanFrom">Where the last catch-up scan started (watermark minus margin; none for a full scan).</param>
/// <param name="Flushed">The flushed watermark: every record of the range up to it is on disk.</param>
/// <param name="LagSeconds">Now minus <paramref name="Flushed"/>, null while there is no watermark.</param>
/// <param name="StoredCount">Records in the journal.</param>
/// <param name="QuarantinedCount">Quarantined records in the journal.</param>
/// <param name="Digest">The journal's order-independent digest of its stored records.</param>
/// <param name="FeedSince">While live: the source's time (Unix seconds) since which the feed has been followed without a break.</param>
/// <param name="CatchUpFallback">
/// Why the last catch-up scan of blocks read the whole key range instead of the source's block_timestamp index (the
/// index is missing, or the scan through it failed); null when it used the index or had no reason to.
/// </param>
/// <param name="Reconcile">How the replica's reconciliation with the source goes; null where it does not run (a benchmark's own feed).</param>
/// <param name="WatermarkHeld">
/// What the watermark waits for while checkpoints do not move it (a reconciliation after a catch-up of votes through
/// their blocks); null when nothing holds it.
/// </param>
public sealed record CaptureStatus(
    ReplicaId Replica,
    CapturePhase Phase,
    string? Source,
    string? LastError,
    long RecordsCaptured,
    long Quarantined,
    long Duplicates,
    long Restarts,
    long Gaps,
    long RecordsScanned,
    Watermark ScanFrom,
    Watermark Flushed,
    long? LagSeconds,
    long StoredCount,
    long QuarantinedCount,
    ShardDigest Digest,
    long? FeedSince = null,
    string? CatchUpFallback = null,
    ReconcileStatus? Reconcile = null,
    string? WatermarkHeld = null) : IBackupMessage;
