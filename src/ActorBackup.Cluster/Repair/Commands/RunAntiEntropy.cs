namespace ActorBackup.Cluster.Repair.Commands;

/// <summary>Starts a repair round now instead of at the next interval (operators, tests). Local only.</summary>
public sealed record RunAntiEntropy
{
    public static RunAntiEntropy Instance { get; } = new();
}
