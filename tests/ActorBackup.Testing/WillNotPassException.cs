namespace ActorBackup.Testing;

/// <summary>
/// Thrown by an attempt given to <see cref="Eventually"/> when waiting longer cannot help (the process under test
/// exited, the operation it waits on finished the wrong way): <see cref="Eventually"/> fails at once with it instead of
/// retrying until the deadline.
/// </summary>
public sealed class WillNotPassException(string message) : Exception(message);
