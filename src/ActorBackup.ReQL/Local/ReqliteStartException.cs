namespace ActorBackup.ReQL.Local;

/// <summary>reqlite could not be started or did not accept connections; the message is one line with the reason.</summary>
public sealed class ReqliteStartException(string message) : Exception(message);
