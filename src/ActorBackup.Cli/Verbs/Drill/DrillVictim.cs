namespace ActorBackup.Cli.Verbs.Drill;

/// <summary>A process a drill stops: a backup node (with its cluster address) or the source (address null).</summary>
public sealed record DrillVictim(string What, string? Address, string? Region, int Pid);
