namespace ActorBackup.Recovery.Restore;

/// <summary>A restore that could not be done or finished; the message is one line an operator can act on.</summary>
public sealed class RestoreException(string message, Exception? inner = null) : Exception(message, inner);
