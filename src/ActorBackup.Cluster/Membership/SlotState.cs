namespace ActorBackup.Cluster.Membership;

/// <summary>
/// Where one replica slot of this node is in its lifecycle. A slot that is not there has no actor. Placement gives
/// the slot to this node: <see cref="Running"/>. Placement takes it away: <see cref="Draining"/>, its actor finishing
/// the batch it is writing (given back meanwhile, it is <see cref="Running"/> again with the same actor). Drained:
/// <see cref="Stopping"/>, until its actor has terminated; only then may the slot start again, so two actors never
/// write the same persistence id on one node.
/// </summary>
/// <typeparam name="TActor">The handle of the slot's actor (an <c>IActorRef</c> in the node; anything in a unit test).</typeparam>
public abstract record SlotState<TActor>(TActor Actor)
{
    /// <summary>Owned and running; <paramref name="ToldOwners"/> are the owners its actor was last told about, if any.</summary>
    public sealed record Running(TActor Actor, string? ToldOwners) : SlotState<TActor>(Actor);

    /// <summary>Given up, finishing the batch in flight before it is stopped.</summary>
    public sealed record Draining(TActor Actor) : SlotState<TActor>(Actor);

    /// <summary>Stopped, its actor not yet terminated.</summary>
    public sealed record Stopping(TActor Actor) : SlotState<TActor>(Actor);
}
