using ActorBackup.Admin.Contract;
using ActorBackup.Cluster.Repair;

namespace ActorBackup.Cluster.Tests.Repair;

public sealed class RepairEvidenceSpec
{
    private static readonly Watermark Ceiling = Watermark.At(1_700_000_000);

    [Fact]
    public void An_honest_siblings_point_is_taken_when_this_replicas_own_capture_reached_it()
    {
        var evidence = new RepairEvidence(Watermark.At(1_600_000_000), Watermark.At(1_600_000_010), Ceiling);

        Assert.Equal((Watermark.At(1_600_000_000), "the sibling's own point 2020-09-13T12:26:40Z"), (evidence.Allowed, evidence.Bound));
    }

    [Fact]
    public void A_point_in_the_year_2100_is_held_to_this_replicas_own_capture_point()
    {
        var evidence = new RepairEvidence(Watermark.At(4_102_444_800), Watermark.At(1_600_000_000), Ceiling);

        Assert.Equal(Watermark.At(1_600_000_000), evidence.Allowed);
        Assert.Equal("this replica's own capture point (2020-09-13T12:26:40Z), before the sibling's point 2100-01-01T00:00:00Z", evidence.Bound);
    }

    [Fact]
    public void A_replica_whose_own_capture_confirmed_nothing_takes_nothing_from_a_sibling()
    {
        var evidence = new RepairEvidence(Watermark.At(1_600_000_000), Watermark.None, Ceiling);

        Assert.Equal(Watermark.None, evidence.Allowed);
        Assert.Equal("this replica's own capture has confirmed no point, so nothing here shows it holds every record, not the sibling's 2020-09-13T12:26:40Z", evidence.Bound);
    }

    [Fact]
    public void Nothing_is_taken_past_the_sources_time_less_the_margin()
    {
        var evidence = new RepairEvidence(Watermark.At(1_700_003_600), Watermark.At(1_700_003_600), Ceiling);

        Assert.Equal(Ceiling, evidence.Allowed);
        Assert.StartsWith("the source's time less the catch-up margin", evidence.Bound);
    }

    [Fact]
    public void A_node_that_has_never_measured_its_source_takes_nothing_from_a_sibling()
    {
        var evidence = new RepairEvidence(Watermark.At(1_600_000_000), Watermark.At(1_600_000_000), Watermark.None);

        Assert.Equal(Watermark.None, evidence.Allowed);
        Assert.Equal("no source has been measured here, so nothing is known of the source's time, not the sibling's 2020-09-13T12:26:40Z", evidence.Bound);
    }

    [Fact]
    public void Nothing_is_allowed_when_the_sibling_attests_nothing()
    {
        var evidence = new RepairEvidence(Watermark.None, Watermark.At(1_600_000_000), Ceiling);

        Assert.Equal(Watermark.None, evidence.Allowed);
        Assert.Equal("the sibling attests no point of its own (its capture has not established one)", evidence.Bound);
    }
}
