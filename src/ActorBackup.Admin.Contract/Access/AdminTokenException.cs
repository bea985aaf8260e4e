namespace ActorBackup.Admin.Contract.Access;

/// <summary>A token file or variable that cannot be used; the message is one line naming it.</summary>
public sealed class AdminTokenException(string message) : Exception(message);
