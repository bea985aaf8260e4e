using System.Text;
using ActorBackup.Recovery.FromCluster;

namespace ActorBackup.Recovery.Tests.FromCluster;

public sealed class GivenRecordIdsTests
{
    private static readonly string[] Ids =
    [
        new string('a', 64),
        "00000000000000000000000000000000000000000000000000000000000000ff",
        // The same digits in capitals: another id, kept as text.
        "00000000000000000000000000000000000000000000000000000000000000FF",
        "9f0c3a2e-4d1b-4f8e-a580-9e09763434c0",
        "abcdefghijklmnopqrstuvwxyz012345",
        // Whose 32 bytes are the UTF-8 of the id above: the two must stay apart.
        Convert.ToHexStringLower(Encoding.UTF8.GetBytes("abcdefghijklmnopqrstuvwxyz012345")),
        "",
        "é",
    ];

    [Theory]
    [InlineData(1_000)]
    [InlineData(3)]
    [InlineData(0)]
    public void Every_id_is_new_once_and_given_after_in_memory_or_on_disk(int idsInMemory)
    {
        using var temp = new TempDir();
        using var given = new GivenRecordIds(new ClusterReadOptions(IdsInMemory: idsInMemory, TempDirectory: temp.Path));

        var first = Ids.Select(given.Add).ToArray();
        var again = Ids.Reverse().Select(given.Add).ToArray();

        Assert.All(first, Assert.True);
        Assert.All(again, Assert.False);
        Assert.Equal(Ids.Length, given.Count);
        Assert.Equal(idsInMemory < Ids.Length, given.OnDisk);
    }

    [Fact]
    public void Ids_given_before_the_move_to_disk_are_still_known_after_it()
    {
        using var temp = new TempDir();
        using var given = new GivenRecordIds(new ClusterReadOptions(IdsInMemory: 100, TempDirectory: temp.Path));
        var ids = Enumerable.Range(0, 10_000).Select(n => n % 2 == 0 ? n.ToString("x64") : $"vote-{n}").ToArray();

        Assert.All(ids.Take(100), id => Assert.True(given.Add(id)));
        Assert.False(given.OnDisk);
        Assert.All(ids.Skip(100), id => Assert.True(given.Add(id)));
        Assert.True(given.OnDisk);

        Assert.All(ids, id => Assert.False(given.Add(id)));
        Assert.Equal(ids.Length, given.Count);
    }

    [Fact]
    public void The_temporary_file_is_gone_once_disposed()
    {
        using var temp = new TempDir();
        var given = new GivenRecordIds(new ClusterReadOptions(IdsInMemory: 1, TempDirectory: temp.Path));
        given.Add("one");
        given.Add("two");
        Assert.NotEmpty(Directory.EnumerateFiles(temp.Path));

        given.Dispose();

        Assert.Empty(Directory.EnumerateFiles(temp.Path));
    }
}
