namespace ActorBackup.Cluster.Settings;

/// <summary>
/// How a live capture confirms its source still answers (<c>actorbackup.source-probe</c>): a network that drops
/// packets raises no error while TCP retries, and a replica's watermark never passes the last confirmed answer.
/// </summary>
/// <param name="Interval">Time between two questions on the feed's connection.</param>
/// <param name="Timeout">Longest wait for an answer before the attempt fails and the next source is tried.</param>
public sealed record SourceProbeSettings(TimeSpan Interval, TimeSpan Timeout);
