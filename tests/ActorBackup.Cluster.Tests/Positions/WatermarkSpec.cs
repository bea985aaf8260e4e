using ActorBackup.Admin.Contract;
using ActorBackup.Cluster.Positions;

namespace ActorBackup.Cluster.Tests.Positions;

public sealed class WatermarkSpec
{
    [Fact]
    public void Watermarks_order_by_record_time_and_none_comes_first()
    {
        var sorted = new[] { Watermark.At(1490000010), Watermark.None, Watermark.At(1490000000) }.Order().ToArray();

        Assert.Equal([Watermark.None, Watermark.At(1490000000), Watermark.At(1490000010)], sorted);
        Assert.True(Watermark.At(5) > Watermark.None);
        Assert.True(Watermark.At(5) <= Watermark.At(5));
        Assert.Equal(Watermark.At(9), Watermark.Max(Watermark.At(9), Watermark.At(3)));
    }

    [Fact]
    public void A_catch_up_starts_the_margin_before_the_watermark_and_never_before_time_zero()
    {
        Assert.Equal(Watermark.At(1490000000 - 30), Watermark.At(1490000000).Minus(TimeSpan.FromSeconds(30)));
        Assert.Equal(Watermark.At(1490000000 - 2), Watermark.At(1490000000).Minus(TimeSpan.FromMilliseconds(1500)));
        Assert.Equal(Watermark.At(0), Watermark.At(10).Minus(TimeSpan.FromMinutes(1)));
        Assert.Equal(Watermark.None, Watermark.None.Minus(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public void A_watermark_reads_as_utc_time_and_survives_storage_as_seconds()
    {
        Assert.Equal("2017-03-20T08:53:20Z", Watermark.At(1490000000).ToString());
        Assert.Equal("none", Watermark.None.ToString());
        Assert.Equal(Watermark.None, Watermark.FromStored(Watermark.None.Seconds));
        Assert.Equal(Watermark.At(7), Watermark.FromStored(7));
    }

    [Fact]
    public void Only_a_flush_moves_the_flushed_position_and_positions_never_move_back()
    {
        var p = ReplicaPositions.None.Receive(Watermark.At(30)).Write(Watermark.At(20));

        Assert.Equal(Watermark.None, p.Flushed);
        p = p.Flush(Watermark.At(20)).Flush(Watermark.At(10)).Receive(Watermark.At(5));
        Assert.Equal(new ReplicaPositions(Watermark.At(30), Watermark.At(20), Watermark.At(20)), p);
        Assert.Equal(new ReplicaPositions(Watermark.At(9), Watermark.At(9), Watermark.At(9)), ReplicaPositions.Recovered(Watermark.At(9)));
    }

    [Fact]
    public void A_negative_record_time_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Watermark.At(-1));
    }
}
