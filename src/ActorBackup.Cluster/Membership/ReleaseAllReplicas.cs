namespace ActorBackup.Cluster.Membership;

/// <summary>
/// Tells the <see cref="PlacementActor"/> that the node is leaving: release every replica (each
/// finishes its in-flight batch), start no new one, and answer <see cref="Akka.Done"/> once all are stopped.
/// </summary>
public sealed record ReleaseAllReplicas
{
    public static ReleaseAllReplicas Instance { get; } = new();

    private ReleaseAllReplicas()
    {
    }
}
