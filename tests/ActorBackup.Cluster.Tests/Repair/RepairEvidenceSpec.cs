using ActorBackup.Admin.Contract;
using ActorBackup.Cluster.Repair;

namespace ActorBackup.Cluster.Tests.Repair;

public sealed class RepairEvidenceSpec
{
    private static readonly Watermark Clock = Watermark.At(1_700_000_000);

    [Fact]
    public void An_honest_siblings_point_is_taken_when_a_verified_record_held_here_reaches_it()
    {
        var evidence = new RepairEvidence(Watermark.At(1_600_000_000), 1_600_000_010, Watermark.None, Clock);

        Assert.Equal((Watermark.At(1_600_000_000), "the sibling's own point 2020-09-13T12:26:40Z"), (evidence.Allowed, evidence.Bound));
    }

    [Fact]
    public void On_a_quiet_ledger_this_nodes_own_capture_point_carries_the_siblings_point_past_the_newest_record()
    {
        var evidence = new RepairEvidence(Watermark.At(1_600_000_500), 1_600_000_010, Watermark.At(1_600_001_000), Clock);

        Assert.Equal(Watermark.At(1_600_000_500), evidence.Allowed);
    }

    [Fact]
    public void A_point_beyond_everything_this_node_can_check_is_held_to_the_newest_verified_record()
    {
        var evidence = new RepairEvidence(Watermark.At(4_102_444_800), 1_600_000_010, Watermark.At(1_600_000_000), Clock);

        Assert.Equal(Watermark.At(1_600_000_010), evidence.Allowed);
        Assert.Equal("the newest verified record held here or this node's own capture point (2020-09-13T12:26:50Z), before the sibling's point 2100-01-01T00:00:00Z", evidence.Bound);
    }

    [Fact]
    public void Records_from_a_fast_clock_never_carry_the_watermark_past_this_nodes_clock()
    {
        var evidence = new RepairEvidence(Watermark.At(1_700_003_600), 1_700_003_600, Watermark.None, Clock);

        Assert.Equal(Clock, evidence.Allowed);
        Assert.StartsWith("this node's clock less the catch-up margin", evidence.Bound);
    }

    [Fact]
    public void Nothing_is_allowed_when_the_sibling_attests_nothing_or_nothing_here_shows_the_ledger_got_anywhere()
    {
        Assert.Equal(Watermark.None, new RepairEvidence(Watermark.None, 1_600_000_010, Watermark.At(1_600_000_000), Clock).Allowed);
        var unproven = new RepairEvidence(Watermark.At(1_600_000_000), -1, Watermark.None, Clock);
        Assert.Equal(Watermark.None, unproven.Allowed);
        Assert.StartsWith("nothing here shows the ledger reached any point", unproven.Bound);
    }
}
