using ActorBackup.Cluster.Reconcile;
using ActorBackup.Cluster.Sharding;

namespace ActorBackup.Cluster.Tests.Reconcile;

public sealed class KeyRangeSpec
{
    [Theory]
    [InlineData(1, 0)]
    [InlineData(64, 0)]
    [InlineData(64, 31)]
    [InlineData(64, 63)]
    [InlineData(7, 3)]
    public void Slices_cover_the_shard_exactly_in_order_and_every_id_falls_in_exactly_one(int shards, int shard)
    {
        var range = KeyRange.Of(new KeySpace(shards).Ranges[shard]);

        var slices = range.Split(16);

        Assert.Equal(16, slices.Count);
        Assert.Equal(range.Lower, slices[0].Lower);
        Assert.Equal(range.Upper, slices[^1].Upper);
        for (var i = 1; i < slices.Count; i++)
            Assert.Equal(slices[i - 1].Upper, slices[i].Lower);
        var random = new Random(shards * 100 + shard);
        var keys = new KeySpace(shards);
        for (var n = 0; n < 2000; n++)
        {
            var id = Convert.ToHexStringLower(BitConverter.GetBytes(random.NextInt64())) + "00";
            Assert.Equal(keys.ShardOf(id) == shard ? 1 : 0, slices.Count(s => s.Contains(id)));
        }
    }

    [Fact]
    public void A_range_one_prefix_wide_is_not_cut()
    {
        var range = new KeyRange("0000abcd", "0000abce");

        Assert.Equal([range], range.Split(16));
    }

    [Fact]
    public void Slices_of_slices_stay_within_their_parent()
    {
        var parent = KeyRange.Of(new KeySpace(64).Ranges[5]).Split(16)[9];

        var children = parent.Split(16);

        Assert.Equal(parent.Lower, children[0].Lower);
        Assert.Equal(parent.Upper, children[^1].Upper);
        Assert.All(children, c => Assert.True(string.CompareOrdinal(c.Lower, c.Upper) < 0, $"{c} is empty"));
    }
}
