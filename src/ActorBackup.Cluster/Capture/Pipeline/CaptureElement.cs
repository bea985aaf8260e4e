using ActorBackup.Cluster.Records;

namespace ActorBackup.Cluster.Capture.Pipeline;

/// <summary>
/// What flows through a capture pipeline, in order. A source emits documents, deletions and the two notices
/// (<see cref="FeedOpened"/>, <see cref="ScanCompleted"/>); the pipeline adds checkpoints, replaces repeated
/// documents by <see cref="DuplicateDropped"/> and validated documents by <see cref="ValidDocument"/> or
/// <see cref="InvalidDocument"/>. Order is kept end to end, so a checkpoint stands for everything before it.
/// </summary>
public abstract record CaptureElement;

/// <summary>Where a document came from: the catch-up scan or the live changefeed.</summary>
public enum DocumentOrigin
{
    Scan,
    Feed,
}

/// <summary>One document as the source serialized it.</summary>
public sealed record SourceDocument(ReadOnlyMemory<byte> Json, DocumentOrigin Origin) : CaptureElement;

/// <summary>The feed reported a deletion. Records are immutable, so it is counted, never applied.</summary>
public sealed record SourceDeletion : CaptureElement
{
    public static SourceDeletion Instance { get; } = new();
}

/// <summary>The changefeed is subscribed on <paramref name="Endpoint"/>; the scan starts next.</summary>
/// <param name="SourceSeconds">The source's time (Unix seconds) when the feed was subscribed, as this node knows it; null when unknown.</param>
public sealed record FeedOpened(string Endpoint, long? SourceSeconds = null) : CaptureElement;

/// <summary>
/// The catch-up scan of blocks could not use the source's timestamp index and reads the whole key range of the shard
/// instead, for <paramref name="Reason"/>. It selects the same documents, at the cost of reading every one of the range.
/// </summary>
public sealed record CatchUpByRange(string Reason) : CaptureElement;

/// <summary>The catch-up scan read every document it selected; the feed is followed from here.</summary>
/// <param name="AwaitsReconciliation">
/// The scan selected votes through the blocks they vote for, so a vote stamped after the scan point on an older block
/// may not be among them: the watermark waits until a reconciliation that started after the scan has completed.
/// </param>
public sealed record ScanCompleted(bool AwaitsReconciliation = false) : CaptureElement
{
    /// <summary>A scan that selected everything stamped since its scan point (or the whole key range).</summary>
    public static ScanCompleted Instance { get; } = new();

    /// <summary>A scan of votes through their blocks.</summary>
    public static ScanCompleted ThroughBlocks { get; } = new(AwaitsReconciliation: true);
}

/// <summary>
/// A point of a live attempt whose scan has completed, in the source's time: every document received before it
/// precedes it in the stream, so once its batch is acknowledged the replica may claim <c>Time - margin</c>.
/// </summary>
/// <param name="AwaitsReconciliationOf">
/// The attempt whose scan selected votes through their blocks (<see cref="ScanCompleted.AwaitsReconciliation"/>): the
/// checkpoint may be claimed only once a reconciliation asked for after that scan has completed. Null otherwise.
/// </param>
public sealed record Checkpoint(long UnixSeconds, long? AwaitsReconciliationOf = null) : CaptureElement;

/// <summary>
/// The source answered, on the connection that carries the feed, with its own time <paramref name="UnixSeconds"/>, so
/// the feed was delivering then. A source whose connection can go silent without an error (a network that drops
/// every packet) emits one before <see cref="ScanCompleted"/> and then regularly: once it has, checkpoints of the
/// attempt claim the time of the last answer, so the watermark is in the source's clock and stops where the source
/// was last seen.
/// </summary>
public sealed record SourceReachable(long UnixSeconds) : CaptureElement;

/// <summary>A document seen moments ago in the recent window; dropped before validation, counted.</summary>
public sealed record DuplicateDropped(DocumentOrigin Origin) : CaptureElement;

/// <summary>A document that passed verification, ready to store.</summary>
public sealed record ValidDocument(CapturedRecord Record, DocumentOrigin Origin) : CaptureElement;

/// <summary>A document that failed verification or could not be read, ready for quarantine.</summary>
public sealed record InvalidDocument(QuarantinedRecord Record, DocumentOrigin Origin) : CaptureElement;
