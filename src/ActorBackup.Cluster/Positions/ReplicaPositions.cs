using ActorBackup.Admin.Contract;

namespace ActorBackup.Cluster.Positions;

/// <summary>
/// The three positions of a replica, kept apart so that only what is on disk is ever reported as
/// backed up: <see cref="Received"/> (the capture says everything up to here has been delivered),
/// <see cref="Written"/> (handed to the journal), <see cref="Flushed"/> (the journal confirmed it durable).
/// Each only moves forward, and Flushed ≤ Written ≤ Received.
/// </summary>
public sealed record ReplicaPositions(Watermark Received, Watermark Written, Watermark Flushed)
{
    public static ReplicaPositions None { get; } = new(Watermark.None, Watermark.None, Watermark.None);

    /// <summary>Starts from what survived a restart: only flushed positions do.</summary>
    public static ReplicaPositions Recovered(Watermark flushed) => new(flushed, flushed, flushed);

    public ReplicaPositions Receive(Watermark w) => this with { Received = Watermark.Max(Received, w) };

    public ReplicaPositions Write(Watermark w) =>
        this with { Received = Watermark.Max(Received, w), Written = Watermark.Max(Written, w) };

    public ReplicaPositions Flush(Watermark w) =>
        new(Watermark.Max(Received, w), Watermark.Max(Written, w), Watermark.Max(Flushed, w));
}
