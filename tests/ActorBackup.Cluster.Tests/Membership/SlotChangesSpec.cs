using ActorBackup.Cluster.Membership;
using ActorBackup.Cluster.Placement;
using ActorBackup.Cluster.Replica;

namespace ActorBackup.Cluster.Tests.Membership;

public sealed class SlotChangesSpec
{
    private static readonly ReplicaId V1 = new("votes", 1), V2 = new("votes", 2), B1 = new("bigchain", 1);

    [Fact]
    public void Replicas_gained_are_started_and_replicas_lost_are_stopped()
    {
        var changes = SlotChanges.Between([V1, V2], [V2, B1]);

        Assert.Equal([B1], changes.ToStart);
        Assert.Equal([V1], changes.ToStop);
    }

    [Fact]
    public void The_same_replicas_give_no_change()
    {
        Assert.True(SlotChanges.Between([V1, V2], [V2, V1]).IsEmpty);
    }

    [Fact]
    public void A_node_owns_its_slots_whatever_their_replica_index()
    {
        var a = new BackupMember("a", "eu-west");
        var b = new BackupMember("b", "us-east");
        var placement = RendezvousPlacement.Compute([a, b], ["votes"], 4, 2);

        Assert.Equal(
            Enumerable.Range(0, 4).Select(s => new ReplicaId("votes", s)).ToHashSet(),
            SlotChanges.OwnedBy(placement, "a"));
    }

    [Fact]
    public void When_a_member_becomes_unreachable_the_others_take_its_replicas()
    {
        var members = new[] { new BackupMember("a", "eu-west"), new BackupMember("b", "eu-west"), new BackupMember("c", "us-east") };
        var before = RendezvousPlacement.Compute(members, ["votes", "bigchain"], 8, 2);
        var after = RendezvousPlacement.Compute(members.Select(m => m.Address == "c" ? m with { IsReachable = false } : m), ["votes", "bigchain"], 8, 2);

        var gainedByA = SlotChanges.Between(SlotChanges.OwnedBy(before, "a"), SlotChanges.OwnedBy(after, "a")).ToStart;
        var gainedByB = SlotChanges.Between(SlotChanges.OwnedBy(before, "b"), SlotChanges.OwnedBy(after, "b")).ToStart;

        Assert.Equal(SlotChanges.OwnedBy(before, "c").Count, gainedByA.Count + gainedByB.Count);
        Assert.All(after.Assignments, a => Assert.NotEqual("c", a.Owner.Address));
    }
}
