using ActorBackup.Admin.Contract;
using ActorBackup.Cluster.Capture.Sources;

namespace ActorBackup.Cluster.Tests.Capture;

public sealed class ScanQuerySpec
{
    [Fact]
    public void Only_a_catch_up_after_a_watermark_may_read_through_the_timestamp_index()
    {
        Assert.True(ScanQuery.CanUseTimestampIndex(Watermark.At(1_700_000_000), 1_700_000_100));
        Assert.False(ScanQuery.CanUseTimestampIndex(Watermark.None, 1_700_000_100));
        Assert.False(ScanQuery.CanUseTimestampIndex(Watermark.At(0), 1_700_000_100));
    }

    [Fact]
    public void Votes_are_read_through_the_blocks_stamped_since_the_scan_point_minus_the_vote_delay()
    {
        var delay = TimeSpan.FromHours(1);
        Assert.Equal(Watermark.At(1_700_000_000), ScanQuery.BlocksFrom("bigchain", Watermark.At(1_700_000_000), delay));
        Assert.Equal(Watermark.At(1_699_996_400), ScanQuery.BlocksFrom("votes", Watermark.At(1_700_000_000), delay));
        Assert.Equal([("bigchain", "block_timestamp")], ScanQuery.CatchUpIndexes("bigchain"));
        Assert.Equal([("bigchain", "block_timestamp"), ("votes", "block_and_voter")], ScanQuery.CatchUpIndexes("votes"));
    }

    [Theory]
    [InlineData(999_999_990, 999_999_999, true)]
    [InlineData(999_999_990, 1_000_000_005, false)]
    [InlineData(9_999_999_990, 10_000_000_001, false)]
    [InlineData(1_700_000_000, 1_600_000_000, true)]
    public void The_index_is_read_only_while_every_time_since_the_watermark_has_as_many_digits(long from, long sourceNow, bool usable) =>
        Assert.Equal(usable, ScanQuery.CanUseTimestampIndex(Watermark.At(from), sourceNow));
}
