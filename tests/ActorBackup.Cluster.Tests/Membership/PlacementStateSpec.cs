using ActorBackup.Cluster.Membership;
using ActorBackup.Cluster.Placement;
using ActorBackup.Cluster.Replica;

namespace ActorBackup.Cluster.Tests.Membership;

/// <summary>The lifecycle of this node's replica slots as pure decisions: strings stand for the slots' actors.</summary>
public sealed class PlacementStateSpec
{
    private static readonly ReplicaId V1 = new("votes", 1), V2 = new("votes", 2), V3 = new("votes", 3);

    private static SlotDecision<string> Place(PlacementState<string> state, params ReplicaId[] owned) => state.Place(owned.ToHashSet()).Decision;

    /// <summary>A state running each of <paramref name="slots"/> with its actor.</summary>
    private static PlacementState<string> Running(params (ReplicaId Id, string Actor)[] slots) =>
        slots.Aggregate(PlacementState<string>.Empty, (state, slot) => state.Started(slot.Id, slot.Actor));

    [Fact]
    public void A_slot_placement_gives_this_node_is_started_and_runs_with_the_actor_started_for_it()
    {
        var decision = Place(PlacementState<string>.Empty, V1);

        Assert.Equal([new SlotEffect<string>.Start(V1)], decision.Effects);
        Assert.Empty(decision.State.Slots);

        var started = decision.State.Started(V1, "a1");

        Assert.Equal(new SlotState<string>.Running("a1", ToldOwners: null), started.Slots[V1]);
        Assert.Equal(new Dictionary<ReplicaId, string> { [V1] = "a1" }, started.Running);
    }

    [Fact]
    public void A_slot_placement_takes_away_drains_its_batch_then_stops_and_is_gone_once_its_actor_terminated()
    {
        var draining = Place(Running((V1, "a1"), (V2, "a2")), V2);

        Assert.Equal([new SlotEffect<string>.Drain(V1, "a1")], draining.Effects);
        Assert.Equal(new SlotState<string>.Draining("a1"), draining.State.Slots[V1]);
        Assert.Equal([V2], draining.State.Running.Keys);

        var stopping = draining.State.Drained(V1, "a1");

        Assert.Equal([new SlotEffect<string>.Stop("a1")], stopping.Effects);
        Assert.Equal(new SlotState<string>.Stopping("a1"), stopping.State.Slots[V1]);

        var (gone, stoppedOnItsOwn) = stopping.State.Terminated("a1");

        Assert.Empty(stoppedOnItsOwn);
        Assert.Equal([V2], gone.Slots.Keys);
    }

    [Fact]
    public void A_draining_slot_given_back_runs_on_with_the_same_actor_and_its_late_drain_answer_changes_nothing()
    {
        var draining = Place(Running((V1, "a1")));

        var (reclaimed, changes) = draining.State.Place(new HashSet<ReplicaId> { V1 });

        Assert.Empty(reclaimed.Effects);
        Assert.Equal([V1], changes.ToStart);
        Assert.Equal(new SlotState<string>.Running("a1", ToldOwners: null), reclaimed.State.Slots[V1]);
        var late = reclaimed.State.Drained(V1, "a1");
        Assert.Empty(late.Effects);
        Assert.Same(reclaimed.State, late.State);
    }

    [Fact]
    public void A_stopping_slot_given_back_starts_again_only_after_its_previous_actor_terminated()
    {
        var stopping = Place(Running((V1, "a1"))).State.Drained(V1, "a1").State;

        var (waiting, changes) = stopping.Place(new HashSet<ReplicaId> { V1 });

        Assert.Empty(waiting.Effects);
        Assert.Equal([V1], changes.ToStart);
        Assert.Equal(new SlotState<string>.Stopping("a1"), waiting.State.Slots[V1]);
        var (free, _) = waiting.State.Terminated("a1");
        Assert.Equal([new SlotEffect<string>.Start(V1)], Place(free, V1).Effects);
    }

    [Fact]
    public void A_drain_answer_from_an_earlier_actor_of_the_slot_changes_nothing()
    {
        var draining = Place(Running((V1, "a2"))).State;

        var decision = draining.Drained(V1, "a1");

        Assert.Empty(decision.Effects);
        Assert.Equal(new SlotState<string>.Draining("a2"), decision.State.Slots[V1]);
    }

    [Fact]
    public void An_actor_that_stops_on_its_own_frees_its_slot_and_is_reported()
    {
        var (state, stoppedOnItsOwn) = Running((V1, "a1"), (V2, "a2")).Terminated("a1");

        Assert.Equal([V1], stoppedOnItsOwn);
        Assert.Equal([V2], state.Slots.Keys);
        Assert.Equal([new SlotEffect<string>.Start(V1)], Place(state, V1, V2).Effects);
    }

    [Fact]
    public void Each_running_slot_is_told_its_owners_once_per_change_and_again_after_it_was_given_back()
    {
        var a = new BackupMember("akka.tcp://actorbackup@10.0.0.2:4053", "eu-west");
        var b = new BackupMember("akka.tcp://actorbackup@10.0.0.1:4053", "us-east");
        var both = RendezvousPlacement.Compute([a, b], ["votes"], 4, 2);
        var alone = RendezvousPlacement.Compute([a], ["votes"], 4, 2);

        var first = Running((V1, "a1")).TellOwners(both);
        var again = first.State.TellOwners(both);
        var changed = again.State.TellOwners(alone);
        var reclaimed = Place(Place(changed.State).State, V1).State.TellOwners(alone);

        Assert.Equal([new SlotEffect<string>.TellOwners("a1", [b.Address, a.Address])], first.Effects, Told.Instance);
        Assert.Empty(again.Effects);
        Assert.Equal([new SlotEffect<string>.TellOwners("a1", [a.Address])], changed.Effects, Told.Instance);
        Assert.Equal([new SlotEffect<string>.TellOwners("a1", [a.Address])], reclaimed.Effects, Told.Instance);
    }

    [Fact]
    public void A_leaving_node_drains_every_running_slot_starts_none_and_is_released_once_every_actor_terminated()
    {
        var stopping = Place(Running((V3, "a3"))).State.Drained(V3, "a3").State;
        var state = stopping.Started(V1, "a1").Started(V2, "a2");

        var leaving = state.ReleaseAll();

        Assert.Equal([new SlotEffect<string>.Drain(V1, "a1"), new SlotEffect<string>.Drain(V2, "a2")],
            leaving.Effects.OrderBy(e => ((SlotEffect<string>.Drain)e).Id.Shard));
        Assert.True(leaving.State.Leaving);
        Assert.Empty(Place(leaving.State, V1, V2, V3).Effects);
        var drained = leaving.State.Drained(V1, "a1").State.Drained(V2, "a2").State;
        var afterTwo = drained.Terminated("a1").State.Terminated("a2").State;
        Assert.False(afterTwo.AllReleased);
        Assert.True(afterTwo.Terminated("a3").State.AllReleased);
    }

    /// <summary>Effects compared by value, owner lists included.</summary>
    private sealed class Told : IEqualityComparer<SlotEffect<string>>
    {
        public static Told Instance { get; } = new();

        public bool Equals(SlotEffect<string>? x, SlotEffect<string>? y) => (x, y) switch
        {
            (SlotEffect<string>.TellOwners a, SlotEffect<string>.TellOwners b) => a.Actor == b.Actor && a.Owners.SequenceEqual(b.Owners),
            _ => object.Equals(x, y),
        };

        public int GetHashCode(SlotEffect<string> obj) => 0;
    }
}
