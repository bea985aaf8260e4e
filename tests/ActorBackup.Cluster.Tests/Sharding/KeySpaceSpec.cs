using System.Security.Cryptography;
using System.Text;
using ActorBackup.Cluster.Sharding;

namespace ActorBackup.Cluster.Tests.Sharding;

public sealed class KeySpaceSpec
{
    [Fact]
    public void Sixty_four_shards_split_the_hex_space_at_every_sixty_fourth()
    {
        var space = new KeySpace(64);

        Assert.Equal(new ShardRange(0, null, "04000000"), space.Ranges[0]);
        Assert.Equal(new ShardRange(1, "04000000", "08000000"), space.Ranges[1]);
        Assert.Equal(new ShardRange(63, "fc000000", null), space.Ranges[63]);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(64)]
    [InlineData(100)]
    [InlineData(4096)]
    public void Ranges_are_contiguous_from_minval_to_maxval(int shards)
    {
        var ranges = new KeySpace(shards).Ranges;

        Assert.Equal(shards, ranges.Count);
        Assert.Null(ranges[0].Lower);
        Assert.Null(ranges[^1].Upper);
        for (var i = 0; i + 1 < shards; i++)
        {
            Assert.Equal(ranges[i].Upper, ranges[i + 1].Lower);
            Assert.True(string.CompareOrdinal(ranges[i + 1].Lower, ranges[i].Lower ?? "") > 0);
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("0000000000000000000000000000000000000000000000000000000000000000")]
    [InlineData("ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff")]
    [InlineData("b726da5d-0716-4f8e-a580-9e09763434c0")]
    [InlineData("B726DA5D-0716-4F8E-A580-9E09763434C0")]
    [InlineData("04000000")]
    [InlineData("03ffffff")]
    [InlineData("zzz")]
    [InlineData("not an id at all")]
    [InlineData("\u00e9t\u00e9")]
    [InlineData("\ud83d\ude00")]
    public void Any_string_maps_to_exactly_the_one_shard_whose_range_contains_it(string id)
    {
        var space = new KeySpace(64);

        var shard = space.ShardOf(id);

        Assert.True(space.Ranges[shard].Contains(id), $"{id} mapped to {space.Ranges[shard]}");
        Assert.Single(space.Ranges, r => r.Contains(id));
    }

    [Fact]
    public void A_boundary_id_belongs_to_the_shard_it_opens()
    {
        var space = new KeySpace(64);

        Assert.Equal(1, space.ShardOf("04000000"));
        Assert.Equal(0, space.ShardOf("03ffffffffffffff"));
    }

    [Fact]
    public void Block_hashes_spread_evenly_over_the_shards()
    {
        var space = new KeySpace(64);
        var counts = new int[64];
        for (var i = 0; i < 64_000; i++)
            counts[space.ShardOf(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"block {i}"))))]++;

        Assert.All(counts, c => Assert.InRange(c, 800, 1200));
    }

    [Fact]
    public void Vote_uuids_spread_evenly_over_the_shards()
    {
        var space = new KeySpace(64);
        var random = new Random(17);
        var counts = new int[64];
        var bytes = new byte[16];
        for (var i = 0; i < 64_000; i++)
        {
            random.NextBytes(bytes);
            counts[space.ShardOf(new Guid(bytes).ToString("D"))]++;
        }

        Assert.All(counts, c => Assert.InRange(c, 800, 1200));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(4097)]
    public void A_shard_count_out_of_range_is_refused(int shards)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new KeySpace(shards));
    }
}
