using ActorBackup.Cluster.Replica;

namespace ActorBackup.Cluster.Membership;

/// <summary>What the <see cref="PlacementActor"/> does to apply a decision of <see cref="PlacementState{TActor}"/>.</summary>
public abstract record SlotEffect<TActor>
{
    /// <summary>Start an actor for the slot and report it back with <see cref="PlacementState{TActor}.Started"/>.</summary>
    public sealed record Start(ReplicaId Id) : SlotEffect<TActor>;

    /// <summary>Ask the actor for its status (answered after its batch in flight), then report <see cref="PlacementState{TActor}.Drained"/>.</summary>
    public sealed record Drain(ReplicaId Id, TActor Actor) : SlotEffect<TActor>;

    /// <summary>Stop the actor; its termination is reported with <see cref="PlacementState{TActor}.Terminated"/>.</summary>
    public sealed record Stop(TActor Actor) : SlotEffect<TActor>;

    /// <summary>Tell the actor the addresses of every owner of its shard, this node's included.</summary>
    public sealed record TellOwners(TActor Actor, IReadOnlyList<string> Owners) : SlotEffect<TActor>;
}
