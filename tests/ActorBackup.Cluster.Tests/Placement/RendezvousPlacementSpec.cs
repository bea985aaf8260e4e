using ActorBackup.Cluster.Placement;

namespace ActorBackup.Cluster.Tests.Placement;

public sealed class RendezvousPlacementSpec
{
    private static readonly string[] Tables = ["bigchain", "votes"];
    private const int Shards = 64;

    private static BackupMember Member(int i, string region) => new($"akka.tcp://actorbackup@10.0.0.{i}:4053", region);

    private static List<BackupMember> ThreeRegions(int count) =>
        Enumerable.Range(1, count).Select(i => Member(i, new[] { "eu-west", "us-east", "ap-south" }[i % 3])).ToList();

    private static Dictionary<(string, int), HashSet<string>> OwnerSets(ShardPlacement placement) =>
        Tables.SelectMany(t => Enumerable.Range(0, Shards).Select(s => (t, s)))
            .ToDictionary(k => k, k => placement.OwnersOf(k.t, k.s).Select(m => m.Address).ToHashSet());

    [Fact]
    public void Every_node_computes_the_same_owners_whatever_order_it_sees_the_members_in()
    {
        var members = ThreeRegions(7);
        var shuffled = members.OrderBy(m => m.Address.GetHashCode()).Reverse().ToList();

        var a = RendezvousPlacement.Compute(members, Tables, Shards, 2);
        var b = RendezvousPlacement.Compute(shuffled, Tables, Shards, 2);

        Assert.Equal(a.Assignments.OrderBy(x => x.Slot.ToString()), b.Assignments.OrderBy(x => x.Slot.ToString()));
    }

    [Fact]
    public void Replicas_of_a_shard_go_to_distinct_nodes_in_distinct_regions_when_there_are_enough_regions()
    {
        var placement = RendezvousPlacement.Compute(ThreeRegions(9), Tables, Shards, 3);

        foreach (var table in Tables)
        {
            for (var shard = 0; shard < Shards; shard++)
            {
                var owners = placement.OwnersOf(table, shard);
                Assert.Equal(3, owners.Count);
                Assert.Equal(3, owners.Select(o => o.Address).Distinct().Count());
                Assert.Equal(3, owners.Select(o => o.Region).Distinct().Count());
            }
        }
    }

    [Fact]
    public void With_fewer_regions_than_replicas_every_region_still_holds_a_replica_on_distinct_nodes()
    {
        var members = Enumerable.Range(1, 6).Select(i => Member(i, i % 2 == 0 ? "eu-west" : "us-east")).ToList();

        var placement = RendezvousPlacement.Compute(members, Tables, Shards, 3);

        for (var shard = 0; shard < Shards; shard++)
        {
            var owners = placement.OwnersOf("votes", shard);
            Assert.Equal(3, owners.Select(o => o.Address).Distinct().Count());
            Assert.Equal(2, owners.Select(o => o.Region).Distinct().Count());
        }
    }

    [Fact]
    public void Unreachable_and_not_yet_up_members_are_given_no_slots()
    {
        var members = ThreeRegions(6);
        members[0] = members[0] with { IsReachable = false };
        members[1] = members[1] with { IsUp = false };

        var placement = RendezvousPlacement.Compute(members, Tables, Shards, 2);

        Assert.Empty(placement.SlotsOf(members[0].Address));
        Assert.Empty(placement.SlotsOf(members[1].Address));
        Assert.Equal(Tables.Length * Shards * 2, placement.Assignments.Count());
    }

    [Fact]
    public void With_fewer_members_than_replicas_each_shard_gets_as_many_replicas_as_there_are_members()
    {
        var placement = RendezvousPlacement.Compute([Member(1, "eu-west")], Tables, Shards, 2);

        Assert.All(Enumerable.Range(0, Shards), s => Assert.Single(placement.OwnersOf("bigchain", s)));
        Assert.Empty(RendezvousPlacement.Compute([], Tables, Shards, 2).Assignments);
    }

    [Fact]
    public void A_joining_member_only_takes_slots_and_each_changed_shard_swaps_exactly_one_owner_for_it()
    {
        var before = ThreeRegions(9);
        var joiner = Member(50, "us-east");

        var old = OwnerSets(RendezvousPlacement.Compute(before, Tables, Shards, 2));
        var now = OwnerSets(RendezvousPlacement.Compute([.. before, joiner], Tables, Shards, 2));

        var changed = old.Keys.Where(k => !old[k].SetEquals(now[k])).ToList();
        Assert.All(changed, k => Assert.Equal([joiner.Address], now[k].Except(old[k])));
        Assert.All(changed, k => Assert.Single(old[k].Except(now[k])));
        // A fair share of the 256 slots for 10 members is about 26; rendezvous hashing moves only those.
        var fairShare = Tables.Length * Shards * 2 / 10.0;
        Assert.InRange(changed.Count, 1, (int)(fairShare * 1.8));
    }

    [Fact]
    public void A_leaving_member_only_gives_up_its_own_slots_and_each_changed_shard_gains_exactly_one_owner()
    {
        var before = ThreeRegions(10);
        var leaver = before[4];

        var old = OwnerSets(RendezvousPlacement.Compute(before, Tables, Shards, 2));
        var now = OwnerSets(RendezvousPlacement.Compute(before.Where(m => m != leaver), Tables, Shards, 2));

        var changed = old.Keys.Where(k => !old[k].SetEquals(now[k])).ToList();
        Assert.Equal(old.Keys.Where(k => old[k].Contains(leaver.Address)).OrderBy(k => k), changed.OrderBy(k => k));
        Assert.All(changed, k => Assert.Equal([leaver.Address], old[k].Except(now[k])));
        Assert.All(changed, k => Assert.Single(now[k].Except(old[k])));
    }

    [Fact]
    public void Slots_spread_over_the_members_without_piling_onto_one()
    {
        var members = ThreeRegions(9);

        var placement = RendezvousPlacement.Compute(members, Tables, Shards, 2);

        var mean = Tables.Length * Shards * 2 / 9.0;
        Assert.All(members, m => Assert.InRange(placement.SlotsOf(m.Address).Count, (int)(mean * 0.5), (int)(mean * 1.6)));
    }

    [Fact]
    public void The_weight_of_a_member_for_a_shard_is_the_same_in_every_process_and_release()
    {
        // First 8 bytes of sha256("votes\n17\nakka.tcp://actorbackup@10.0.0.1:4053"), computed independently with Python's hashlib.
        Assert.Equal(0x8b64efb7896758d0UL, StableHash.Weight("votes", 17, "akka.tcp://actorbackup@10.0.0.1:4053"));
    }

    [Fact]
    public void A_membership_listing_a_node_twice_is_refused()
    {
        var e = Assert.Throws<ArgumentException>(() => RendezvousPlacement.Compute([Member(1, "a"), Member(1, "b")], Tables, Shards, 2));
        Assert.StartsWith("The membership lists akka.tcp://actorbackup@10.0.0.1:4053 more than once.", e.Message);
    }
}
