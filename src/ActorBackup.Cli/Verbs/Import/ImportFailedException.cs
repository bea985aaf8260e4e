namespace ActorBackup.Cli.Verbs.Import;

/// <summary>The import cannot go on; the message is one line.</summary>
internal sealed class ImportFailedException(string message) : Exception(message);
