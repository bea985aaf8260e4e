using ActorBackup.Sandbox.Processes;

namespace ActorBackup.Sandbox.Nodes;

/// <summary>A backup node process started here from its node file.</summary>
public sealed record LocalNode(NodeFile File, string ConfigPath, ChildProcess Process);
