namespace ActorBackup.Cluster.Settings;

/// <summary>How each replica's capture stream paces and bounds its work (<c>actorbackup.capture</c>).</summary>
/// <param name="CheckpointInterval">How often a live attempt marks a point the watermark may advance to.</param>
/// <param name="JournalTimeout">Longest wait for the journal to acknowledge a batch before it is sent again, and for an attempt's plan.</param>
/// <param name="RecentWindow">Recent documents remembered to drop repeats before validation.</param>
/// <param name="Parallelism">Documents validated at once (the configured 0 is resolved to the number of CPU cores).</param>
/// <param name="JournalWritesInFlight">Batches handed to the journal while the previous ones wait for their fsync.</param>
/// <param name="JournalStatusTimeout">Longest a status answer waits for the journal before it reports the last known state.</param>
/// <param name="JournalPollInterval">How often the capture asks a journal or capture point that has not answered yet whether it has recovered.</param>
/// <param name="CatchUpJoinWindow">
/// How long a node's shared catch-up read of a table waits, after the first replica asked for it, for the others to
/// join (see <c>SharedCatchUp</c>): after a restart or reconnect its replicas ask within moments of one another.
/// </param>
/// <param name="CatchUpStallTimeout">
/// Longest a shared catch-up read waits for one replica to take a row while its buffer is full; past it the replica
/// leaves the read with an error (its attempt restarts and catches up again) and the read goes on for the others.
/// </param>
/// <param name="PointRestStep">
/// How far capture's own point must move past the one last persisted before it is persisted again, once that one is
/// past every document the replica received (<c>CapturePointPacer</c>); zero persists the point of every checkpoint.
/// </param>
public sealed record CaptureSettings(
    TimeSpan CheckpointInterval,
    TimeSpan JournalTimeout,
    int RecentWindow,
    int Parallelism,
    int JournalWritesInFlight,
    TimeSpan JournalStatusTimeout,
    TimeSpan JournalPollInterval,
    TimeSpan CatchUpJoinWindow,
    TimeSpan CatchUpStallTimeout,
    TimeSpan PointRestStep);
