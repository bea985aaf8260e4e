namespace ActorBackup.Cluster.Capture;

/// <summary>Where a replica's capture stands. Sent between nodes: never renumber.</summary>
public enum CapturePhase : byte
{
    /// <summary>Connecting to a source and subscribing to the range's changes.</summary>
    Connecting = 1,

    /// <summary>The feed is open; the catch-up scan is running.</summary>
    CatchingUp = 2,

    /// <summary>The scan finished; following the feed. Only now does the watermark advance.</summary>
    Live = 3,

    /// <summary>The last attempt failed; waiting before the next one (on the next source).</summary>
    Backoff = 4,
}
