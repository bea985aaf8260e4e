namespace ActorBackup.Recovery.FromCluster;

/// <summary>The backup cluster cannot be read, or cannot give what was asked; the message is one line for the operator.</summary>
public sealed class BackupClusterException(string message, Exception? inner = null) : Exception(message, inner);
