namespace ActorBackup.Cluster.Membership;

/// <summary>The state after a decision of <see cref="PlacementState{TActor}"/>, and the effects to apply in order.</summary>
public sealed record SlotDecision<TActor>(PlacementState<TActor> State, IReadOnlyList<SlotEffect<TActor>> Effects) where TActor : notnull;
