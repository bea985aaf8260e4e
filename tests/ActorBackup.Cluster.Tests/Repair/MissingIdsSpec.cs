using ActorBackup.Cluster.Repair;

namespace ActorBackup.Cluster.Tests.Repair;

public sealed class MissingIdsSpec
{
    [Fact]
    public void A_request_is_full_at_the_id_limit_and_taking_it_starts_a_new_one()
    {
        var missing = new MissingIds(maxIds: 3, maxBytes: 1000);

        Assert.False(missing.Add("a"));
        Assert.False(missing.Add("b"));
        Assert.True(missing.Add("c"));
        Assert.Equal(["a", "b", "c"], missing.Take());
        Assert.Equal(0, missing.Count);
        Assert.False(missing.Add("d"));
        Assert.Equal(["d"], missing.Take());
    }

    [Fact]
    public void A_request_is_full_at_the_byte_limit()
    {
        var missing = new MissingIds(maxIds: 1000, maxBytes: 8);

        Assert.False(missing.Add("abcd"));
        Assert.True(missing.Add("\u00e9\u00e9"));
        Assert.Equal(2, missing.Take().Count);
    }
}
