using ActorBackup.Cluster.Replica;
using ActorBackup.Cluster.Replica.Events;

namespace ActorBackup.Cluster.Tests.Replica;

public sealed class ReplicaIndexSpec : IDisposable
{
    private static readonly ReplicaId Replica = new("votes", 0);
    private readonly string _directory = Directory.CreateTempSubdirectory("actorbackup-index-").FullName;

    private string File => Path.Combine(_directory, "index.sqlite");

    private static RecordsStored Stored(int from, int count) =>
        new(Enumerable.Range(from, count).Select(n => Samples.VoteInShard(0, n, 1_700_000_000 + n)).ToList());

    private static string IdOf(int n) => Samples.VoteInShard(0, n, 0).Id;

    [Fact]
    public void The_duplicate_check_finds_exactly_the_stored_ids_after_the_index_is_opened_again()
    {
        using (var index = ReplicaIndex.Open(File, Replica))
        {
            index.Apply(1, Stored(0, 3_000));
            index.Flush();
        }
        using var reopened = ReplicaIndex.Open(File, Replica);

        var found = reopened.FindStored(Enumerable.Range(2_000, 2_000).Select(IdOf));

        Assert.Equal(Enumerable.Range(2_000, 1_000).Select(IdOf).ToHashSet(), found.ToHashSet());
    }

    [Fact]
    public void The_duplicate_check_finds_ids_still_in_the_buffer_and_in_the_file_together()
    {
        using var index = ReplicaIndex.Open(File, Replica);
        index.Apply(1, Stored(0, 10));
        index.Flush();
        index.Apply(2, Stored(10, 10));

        var found = index.FindStored([IdOf(3), IdOf(15), IdOf(25), IdOf(3)]);

        Assert.Equal(new HashSet<string> { IdOf(3), IdOf(15) }, found.ToHashSet());
    }

    [Fact]
    public void After_a_reset_no_id_is_stored()
    {
        using var index = ReplicaIndex.Open(File, Replica);
        index.Apply(1, Stored(0, 10));
        index.Flush();

        index.Reset();

        Assert.Empty(index.FindStored(Enumerable.Range(0, 10).Select(IdOf)));
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
