namespace ActorBackup.Cli.Verbs.Drill;

/// <summary>No admin endpoint returned a cluster status; the message says why, in one line.</summary>
internal sealed class StatusUnavailableException(string message) : Exception(message);
