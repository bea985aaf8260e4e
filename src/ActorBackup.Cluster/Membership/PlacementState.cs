using System.Collections.Immutable;
using ActorBackup.Cluster.Placement;
using ActorBackup.Cluster.Replica;

namespace ActorBackup.Cluster.Membership;

/// <summary>
/// The replica slots of this node, each in its <see cref="SlotState{TActor}"/>, and whether the node is leaving. Every
/// decision is a pure function returning the next state and the <see cref="SlotEffect{TActor}"/>s the
/// <see cref="PlacementActor"/> applies.
/// </summary>
public sealed record PlacementState<TActor> where TActor : notnull
{
    private PlacementState(ImmutableDictionary<ReplicaId, SlotState<TActor>> slots, bool leaving)
    {
        Slots = slots;
        Leaving = leaving;
    }

    public static PlacementState<TActor> Empty { get; } = new(ImmutableDictionary<ReplicaId, SlotState<TActor>>.Empty, false);

    public ImmutableDictionary<ReplicaId, SlotState<TActor>> Slots { get; }

    /// <summary>Set once the node is leaving: no slot starts any more.</summary>
    public bool Leaving { get; }

    /// <summary>The slots this node owns and runs, with their actors.</summary>
    public IReadOnlyDictionary<ReplicaId, TActor> Running =>
        Slots.Where(s => s.Value is SlotState<TActor>.Running).ToDictionary(s => s.Key, s => s.Value.Actor);

    /// <summary>True once the node is leaving and every slot's actor has terminated.</summary>
    public bool AllReleased => Leaving && Slots.IsEmpty;

    /// <summary>
    /// Goes from the running slots to <paramref name="owned"/>: a slot gained starts (or, still draining, runs on with
    /// its actor; still stopping, waits for its actor to terminate), a slot lost drains. Nothing changes while leaving.
    /// </summary>
    public (SlotDecision<TActor> Decision, SlotChanges Changes) Place(IReadOnlySet<ReplicaId> owned)
    {
        if (Leaving) return (new SlotDecision<TActor>(this, []), new SlotChanges([], []));
        var changes = SlotChanges.Between(Running.Keys, owned);
        var slots = Slots;
        var effects = new List<SlotEffect<TActor>>();
        foreach (var id in changes.ToStart)
        {
            switch (slots.GetValueOrDefault(id))
            {
                case SlotState<TActor>.Draining draining:
                    slots = slots.SetItem(id, new SlotState<TActor>.Running(draining.Actor, ToldOwners: null));
                    break;
                case SlotState<TActor>.Stopping:
                    break;
                default:
                    effects.Add(new SlotEffect<TActor>.Start(id));
                    break;
            }
        }
        foreach (var id in changes.ToStop)
            effects.Add(Drain(ref slots, id));
        return (new SlotDecision<TActor>(With(slots), effects), changes);
    }

    /// <summary>The actor started for a <see cref="SlotEffect{TActor}.Start"/>; its owners are still to be told.</summary>
    public PlacementState<TActor> Started(ReplicaId id, TActor actor) =>
        With(Slots.SetItem(id, new SlotState<TActor>.Running(actor, ToldOwners: null)));

    /// <summary>Tells each running slot's actor the owners of its shard in <paramref name="placement"/> when they differ from what it was last told.</summary>
    public SlotDecision<TActor> TellOwners(ShardPlacement placement)
    {
        var slots = Slots;
        var effects = new List<SlotEffect<TActor>>();
        foreach (var (id, slot) in Slots)
        {
            if (slot is not SlotState<TActor>.Running running) continue;
            var owners = placement.OwnersOf(id.Table, id.Shard).Select(m => m.Address).Order(StringComparer.Ordinal).ToList();
            var told = string.Join(",", owners);
            if (running.ToldOwners == told) continue;
            slots = slots.SetItem(id, running with { ToldOwners = told });
            effects.Add(new SlotEffect<TActor>.TellOwners(running.Actor, owners));
        }
        return new SlotDecision<TActor>(With(slots), effects);
    }

    /// <summary>The node is leaving: every running slot drains, and none starts any more.</summary>
    public SlotDecision<TActor> ReleaseAll()
    {
        var slots = Slots;
        var effects = new List<SlotEffect<TActor>>();
        foreach (var id in Running.Keys)
            effects.Add(Drain(ref slots, id));
        return new SlotDecision<TActor>(new PlacementState<TActor>(slots, leaving: true), effects);
    }

    /// <summary>A draining slot's actor finished its batch (or did not answer in time): it is stopped, unless the slot runs again meanwhile.</summary>
    public SlotDecision<TActor> Drained(ReplicaId id, TActor actor)
    {
        if (Slots.GetValueOrDefault(id) is not SlotState<TActor>.Draining draining || !EqualityComparer<TActor>.Default.Equals(draining.Actor, actor))
            return new SlotDecision<TActor>(this, []);
        return new SlotDecision<TActor>(With(Slots.SetItem(id, new SlotState<TActor>.Stopping(actor))), [new SlotEffect<TActor>.Stop(actor)]);
    }

    /// <summary>
    /// An actor terminated: its slot is gone, free to start again. <c>StoppedOnItsOwn</c> lists the slots that were
    /// running, whose actor stopped without being asked.
    /// </summary>
    public (PlacementState<TActor> State, IReadOnlyList<ReplicaId> StoppedOnItsOwn) Terminated(TActor actor)
    {
        var gone = Slots.Where(s => EqualityComparer<TActor>.Default.Equals(s.Value.Actor, actor)).ToArray();
        var running = gone.Where(s => s.Value is SlotState<TActor>.Running).Select(s => s.Key).ToArray();
        return (With(Slots.RemoveRange(gone.Select(s => s.Key))), running);
    }

    private static SlotEffect<TActor> Drain(ref ImmutableDictionary<ReplicaId, SlotState<TActor>> slots, ReplicaId id)
    {
        var actor = slots[id].Actor;
        slots = slots.SetItem(id, new SlotState<TActor>.Draining(actor));
        return new SlotEffect<TActor>.Drain(id, actor);
    }

    private PlacementState<TActor> With(ImmutableDictionary<ReplicaId, SlotState<TActor>> slots) => new(slots, Leaving);
}
