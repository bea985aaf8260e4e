using ActorBackup.Cluster.Membership;
using ActorBackup.Cluster.Placement;
using Akka.Cluster;

namespace ActorBackup.Cluster.Tests.Membership;

public sealed class MemberViewSpec
{
    private const string Address = "akka.tcp://actorbackup@10.0.0.5:4053";

    [Fact]
    public void The_region_comes_from_the_region_role()
    {
        Assert.Equal("eu-west", MemberView.RegionOf(["dc-default", "region:eu-west"]));
    }

    [Fact]
    public void A_member_without_a_region_role_is_in_the_unknown_region()
    {
        Assert.Equal(MemberView.UnknownRegion, MemberView.RegionOf(["dc-default", "region:"]));
    }

    [Theory]
    [InlineData(MemberStatus.Up, true)]
    [InlineData(MemberStatus.WeaklyUp, true)]
    [InlineData(MemberStatus.Joining, false)]
    [InlineData(MemberStatus.Leaving, false)]
    [InlineData(MemberStatus.Exiting, false)]
    [InlineData(MemberStatus.Down, false)]
    public void Only_up_or_weakly_up_members_count_as_up(MemberStatus status, bool up)
    {
        Assert.Equal(new BackupMember(Address, "eu-west", up, true), MemberView.From(Address, ["region:eu-west"], status, reachable: true));
    }

    [Fact]
    public void An_unreachable_up_member_gets_no_replicas()
    {
        var member = MemberView.From(Address, ["region:eu-west"], MemberStatus.Up, reachable: false);

        Assert.False(member.CanOwnReplicas);
    }
}
