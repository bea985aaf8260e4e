using ActorBackup.Cluster.Reading;
using ActorBackup.Cluster.Tests.Repair;

namespace ActorBackup.Cluster.Tests.Reading;

public sealed class IdBucketsSpec
{
    [Fact]
    public void The_buckets_of_a_shard_are_contiguous_and_cover_exactly_its_range()
    {
        var buckets = IdBuckets.Of(64, 17);

        Assert.Equal(IdBuckets.Count, buckets.All.Count);
        Assert.Equal("44000000", buckets.All[0].Lower);
        Assert.Equal("48000000", buckets.All[^1].Upper);
        for (var i = 1; i < IdBuckets.Count; i++)
        {
            Assert.Equal(buckets.All[i - 1].Upper, buckets.All[i].Lower);
            Assert.True(string.CompareOrdinal(buckets.All[i].Lower, buckets.All[i].Upper) < 0);
        }
    }

    [Fact]
    public void The_first_and_last_shards_keep_their_open_ends()
    {
        Assert.Null(IdBuckets.Of(64, 0).All[0].Lower);
        Assert.Null(IdBuckets.Of(64, 63).All[^1].Upper);
        Assert.Equal(0, IdBuckets.Of(64, 0).IndexOf("!"));
        Assert.Equal(IdBuckets.Count - 1, IdBuckets.Of(64, 63).IndexOf("zzz"));
    }

    [Fact]
    public void Every_id_falls_into_the_bucket_whose_range_holds_it()
    {
        var buckets = IdBuckets.Of(64, 17);

        foreach (var vote in SpreadSamples.Votes(0, 2000))
        {
            var bucket = buckets.All[buckets.IndexOf(vote.Id)];
            Assert.True(string.CompareOrdinal(bucket.Lower, vote.Id) <= 0 && string.CompareOrdinal(vote.Id, bucket.Upper) < 0, $"{vote.Id} in {bucket}");
        }
    }

    [Fact]
    public void Spread_sample_ids_land_in_most_buckets()
    {
        var buckets = IdBuckets.Of(64, 17);

        var used = SpreadSamples.Votes(0, 2000).Select(v => buckets.IndexOf(v.Id)).Distinct().Count();

        Assert.True(used > 200, $"only {used} buckets used");
    }

    [Fact]
    public void A_single_shard_is_cut_over_the_whole_id_space()
    {
        var buckets = IdBuckets.Of(1, 0);

        Assert.Equal("01000000", buckets.All[1].Lower);
        Assert.Equal("ff000000", buckets.All[^1].Lower);
    }
}
