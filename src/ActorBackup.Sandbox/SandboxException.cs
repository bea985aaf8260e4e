namespace ActorBackup.Sandbox;

/// <summary>Something the sandbox needs could not be set up or did not behave (a tool missing, a process that would not start); the message is one line with the reason.</summary>
public sealed class SandboxException(string message) : Exception(message);
