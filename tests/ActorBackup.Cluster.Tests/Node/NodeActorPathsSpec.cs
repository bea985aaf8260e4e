using ActorBackup.Cluster.Node;
using ActorBackup.Cluster.Replica;
using Akka.Actor;

namespace ActorBackup.Cluster.Tests.Node;

public sealed class NodeActorPathsSpec
{
    private static readonly Address NodeA = Address.Parse("akka.tcp://actorbackup@10.0.0.5:4053");

    [Fact]
    public void The_journal_of_a_replica_is_found_at_the_same_path_on_every_node()
    {
        Assert.Equal("akka.tcp://actorbackup@10.0.0.5:4053/user/placement/votes-007/journal",
            NodeActorPaths.JournalOf(NodeA, new ReplicaId("votes", 7)).ToString());
    }

    [Fact]
    public void A_replicas_repair_actor_is_its_child_named_after_the_replica()
    {
        var replica = new ReplicaId("bigchain", 17);
        var local = new RootActorPath(Address.Parse("akka://actorbackup")) / "user" / NodeActorPaths.Placement / NodeActorPaths.ReplicaName(replica)
            / NodeActorPaths.RepairName(replica);

        Assert.Equal("akka.tcp://actorbackup@10.0.0.5:4053/user/placement/bigchain-017/repair-bigchain-017",
            NodeActorPaths.OnNode(local, NodeA).ToString());
    }
}
