using ActorBackup.Admin.Contract.Status;
using ActorBackup.Cli.CommandLine;
using ActorBackup.Cli.Verbs.Drill;

namespace ActorBackup.Cli.Tests.Drill;

public sealed class VictimChooserTests
{
    private static ClusterStatus Status(string answering, params MemberEntry[] members) =>
        new(answering, DateTimeOffset.UnixEpoch, 2, members, [], null, null, 0);

    private static readonly MemberEntry A = new("a", "eu-west", "up", true, Pid: 11);
    private static readonly MemberEntry B = new("b", "eu-west", "up", true, Pid: 12);
    private static readonly MemberEntry C = new("c", "us-east", "up", true, Pid: 13);

    [Fact]
    public void Kill_node_never_picks_the_node_answering_the_admin_url()
    {
        var victim = Assert.Single(VictimChooser.Choose(DrillScenario.KillNode, Status("c", A, B, C), null));

        Assert.Equal(("b", 12), (victim.Address, victim.Pid));
    }

    [Fact]
    public void Lose_region_kills_every_node_of_a_region_other_than_the_answering_nodes()
    {
        var victims = VictimChooser.Choose(DrillScenario.LoseRegion, Status("c", A, B, C), null);

        Assert.Equal(["a", "b"], victims.Select(v => v.Address));
    }

    [Fact]
    public void Lose_region_in_a_single_region_cluster_is_a_one_line_error()
    {
        var e = Assert.Throws<CliError>(() => VictimChooser.Choose(DrillScenario.LoseRegion, Status("a", A, B), null));

        Assert.Equal("every reachable member is in eu-west of a: a lose-region drill needs a second region", e.Message);
    }

    [Fact]
    public void A_member_without_a_pid_cannot_be_killed_and_says_why()
    {
        var e = Assert.Throws<CliError>(() => VictimChooser.Choose(DrillScenario.KillNode, Status("a", A, B with { Pid = null }), null));

        Assert.StartsWith("member b has no pid in /status yet", e.Message);
    }

    [Fact]
    public void Lose_source_kills_the_given_source_pid_and_no_node()
    {
        var victim = Assert.Single(VictimChooser.Choose(DrillScenario.LoseSource, Status("a", A, B, C), 4242));

        Assert.Equal(("source", null, 4242), (victim.What, victim.Address, victim.Pid));
    }
}
