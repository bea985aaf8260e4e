namespace ActorBackup.Cluster.Settings;

/// <summary>
/// How the node reads its sources' clocks (<c>actorbackup.source-clock</c>). Every probe measures the offset; watermarks
/// are in the source's time whatever it is, these only decide what status reports and when it warns.
/// </summary>
/// <param name="WarnOffset">An offset larger than this, either way, is a warning in status and the log.</param>
/// <param name="Window">The offset shown is the tightest measurement (shortest round trip) of this last stretch of time.</param>
public sealed record SourceClockSettings(TimeSpan WarnOffset, TimeSpan Window);
