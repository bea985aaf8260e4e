using ActorBackup.Cluster.Settings;

namespace ActorBackup.Cluster.Membership;

/// <summary>What the <see cref="PlacementActor"/> places and how quickly it reacts.</summary>
public sealed record PlacementOptions(IReadOnlyList<string> Tables, int Shards, int Replicas, TimeSpan Debounce, TimeSpan DrainTimeout)
{
    public static PlacementOptions From(BackupSettings settings, NodeSettings node) =>
        new(settings.Tables, settings.Shards, settings.Replicas, node.PlacementDebounce, node.StatusTimeout);
}
