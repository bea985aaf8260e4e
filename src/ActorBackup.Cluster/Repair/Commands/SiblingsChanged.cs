using Akka.Actor;

namespace ActorBackup.Cluster.Repair.Commands;

/// <summary>
/// From the node host, whenever placement changes: where the <see cref="RepairActor"/>s of the other
/// replicas of this shard are (see <see cref="Node.NodeActorPaths.OnNode"/>). Starts a repair round.
/// Local only: it never crosses the network.
/// </summary>
public sealed record SiblingsChanged(IReadOnlyList<ActorPath> Siblings)
{
    public bool Equals(SiblingsChanged? other) => other is not null && Siblings.SequenceEqual(other.Siblings);
    public override int GetHashCode() => Siblings.Count;
}
