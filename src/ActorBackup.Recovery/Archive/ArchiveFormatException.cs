namespace ActorBackup.Recovery.Archive;

/// <summary>An archive that is corrupt, truncated, foreign or not laid out like a <c>rethinkdb dump</c>. The message is one line.</summary>
public sealed class ArchiveFormatException(string message, Exception? inner = null) : Exception(message, inner);
