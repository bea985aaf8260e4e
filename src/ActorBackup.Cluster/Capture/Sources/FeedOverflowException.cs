namespace ActorBackup.Cluster.Capture.Sources;

/// <summary>
/// The server dropped changes its feed queue could not hold ("... skipped N elements."). The feed goes on but
/// has a hole, so the attempt ends and the next one's catch-up scan fills it.
/// </summary>
public sealed class FeedOverflowException(string serverMessage)
    : Exception($"The changefeed lost changes (a gap, repaired by the next catch-up scan): {serverMessage}");
