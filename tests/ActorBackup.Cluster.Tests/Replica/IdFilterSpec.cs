using ActorBackup.Cluster.Replica;
using ActorBackup.Cluster.Tests.Settings;

namespace ActorBackup.Cluster.Tests.Replica;

public sealed class IdFilterSpec
{
    private static string Id(int n) => $"{n:x8}-0716-4f8e-a580-9e09763434c0";

    [Fact]
    public void An_added_id_is_never_ruled_out_however_many_were_added()
    {
        var filter = new IdFilter(ReferenceSettings.Defaults.RecordIndex.IdFilterBytes);
        for (var n = 0; n < 300_000; n++) filter.Add(Id(n));

        Assert.All(Enumerable.Range(0, 300_000), n => Assert.True(filter.MightContain(Id(n))));
    }

    [Fact]
    public void Ids_never_added_are_ruled_out_nearly_always()
    {
        var filter = new IdFilter(ReferenceSettings.Defaults.RecordIndex.IdFilterBytes);
        for (var n = 0; n < 300_000; n++) filter.Add(Id(n));

        var maybes = Enumerable.Range(1_000_000, 100_000).Count(n => filter.MightContain(Id(n)));

        Assert.InRange(maybes, 0, 10_000);
    }

    [Fact]
    public void Its_memory_stops_growing_at_the_limit_and_it_still_never_rules_out_an_added_id()
    {
        var filter = new IdFilter(maxBytes: 64 << 10);
        for (var n = 0; n < 200_000; n++) filter.Add(Id(n));

        Assert.Equal(64 << 10, filter.SizeInBytes);
        Assert.All(Enumerable.Range(0, 200_000), n => Assert.True(filter.MightContain(Id(n))));
    }

    [Fact]
    public void A_cleared_filter_rules_out_what_it_held()
    {
        var filter = new IdFilter(ReferenceSettings.Defaults.RecordIndex.IdFilterBytes);
        filter.Add(Id(1));

        filter.Clear();

        Assert.False(filter.MightContain(Id(1)));
        Assert.Equal(0, filter.Count);
    }
}
