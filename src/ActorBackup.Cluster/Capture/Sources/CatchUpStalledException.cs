namespace ActorBackup.Cluster.Capture.Sources;

/// <summary>
/// A replica's attempt took no row of a shared catch-up read for the read's stall timeout
/// (<c>actorbackup.capture.catch-up-stall-timeout</c>) and was dropped from it, so that the others go on; the attempt
/// fails with this and restarts, catching up again from its scan point.
/// </summary>
public sealed class CatchUpStalledException(TimeSpan stallTimeout) : Exception(
    $"took no row of the shared catch-up read for {stallTimeout.TotalSeconds:0.#}s (capture.catch-up-stall-timeout) and left it; it catches up again");
