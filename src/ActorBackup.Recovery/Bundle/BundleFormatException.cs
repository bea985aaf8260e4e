namespace ActorBackup.Recovery.Bundle;

/// <summary>A file that cannot be read as a client bundle (or, for assembly, as a dump of a ledger). The message is one line.</summary>
public sealed class BundleFormatException(string message, Exception? inner = null) : Exception(message, inner);
