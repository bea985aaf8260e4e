namespace ActorBackup.Cluster.Messages;

/// <summary>
/// Marks every type that is persisted or crosses the network. reference.conf binds it to
/// <see cref="Serialization.BackupMessageSerializer"/>, so none of them reaches the default
/// serializer; a type implementing it without a manifest there fails loudly on first use.
/// </summary>
public interface IBackupMessage;
