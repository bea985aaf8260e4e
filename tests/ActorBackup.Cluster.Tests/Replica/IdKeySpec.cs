using ActorBackup.Cluster.Replica;

namespace ActorBackup.Cluster.Tests.Replica;

public sealed class IdKeySpec
{
    [Fact]
    public void Keys_never_order_two_ids_against_their_own_order()
    {
        var random = new Random(7);
        char[] alphabet = ['\0', '-', '0', '9', 'a', 'f', 'z', '~', '\x7f', '\x80', 'é', '\uffff'];
        var ids = Enumerable.Range(0, 5_000)
            .Select(_ => new string(Enumerable.Range(0, random.Next(0, 11)).Select(_ => alphabet[random.Next(alphabet.Length)]).ToArray()))
            .Concat([Guid.NewGuid().ToString(), "", "0000abcd", "0000abcd-0001"])
            .Order(StringComparer.Ordinal)
            .ToList();

        var keys = ids.Select(IdKey.Of).ToList();

        Assert.All(keys.Zip(keys.Skip(1), (a, b) => (Before: a, After: b)), pair => Assert.True(pair.Before <= pair.After, $"{pair.Before:x16} > {pair.After:x16}"));
    }

    [Fact]
    public void Ids_differing_in_their_first_eight_characters_get_different_keys()
    {
        Assert.NotEqual(IdKey.Of("0716c4f8-a580"), IdKey.Of("0716c4f9-a580"));
        Assert.NotEqual(IdKey.Of("0716c4f"), IdKey.Of("0716c4f8"));
        Assert.Equal(IdKey.Of("0716c4f8-a580"), IdKey.Of("0716c4f8-ffff"));
    }
}
