namespace ActorBackup.Cluster.Membership;

/// <summary>Asks the <see cref="PlacementActor"/> for the replicas it runs; answered with <see cref="OwnedReplicas"/>.</summary>
public sealed record GetOwnedReplicas
{
    public static GetOwnedReplicas Instance { get; } = new();

    private GetOwnedReplicas()
    {
    }
}
