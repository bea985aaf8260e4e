namespace ActorBackup.Testing.Network;

/// <summary>A namespace, link, address or filter rule of an <see cref="IsolatedNetwork"/> could not be set up; the message says which command failed and why.</summary>
public sealed class NetworkSetupException(string message) : Exception(message);
