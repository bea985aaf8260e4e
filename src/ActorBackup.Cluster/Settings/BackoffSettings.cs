namespace ActorBackup.Cluster.Settings;

/// <summary>Delays between restarts of a failed capture stream (<c>actorbackup.restart-backoff</c>).</summary>
/// <param name="Min">First delay.</param>
/// <param name="Max">Longest delay; delays double from <paramref name="Min"/> up to it.</param>
/// <param name="RandomFactor">Random fraction added to each delay, 0 to 1.</param>
public sealed record BackoffSettings(TimeSpan Min, TimeSpan Max, double RandomFactor);
