namespace ActorBackup.Cluster.Settings;

/// <summary>A configuration value is missing or out of range; the message is one line naming the key and the fix.</summary>
public sealed class BackupSettingsException(string message) : Exception(message);
