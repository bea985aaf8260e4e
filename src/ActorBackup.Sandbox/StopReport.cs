namespace ActorBackup.Sandbox;

/// <summary>What stopping a local cluster did: the pids of every process it started, and what it could not stop (empty when all are gone).</summary>
public sealed record StopReport(IReadOnlyList<int> Pids, IReadOnlyList<string> Left);
