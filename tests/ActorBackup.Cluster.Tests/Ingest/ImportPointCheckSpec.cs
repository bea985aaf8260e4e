using ActorBackup.Admin.Contract;
using ActorBackup.Cluster.Ingest;
using ActorBackup.Cluster.Records;
using ActorBackup.Cluster.Replica;

namespace ActorBackup.Cluster.Tests.Ingest;

public sealed class ImportPointCheckSpec
{
    private static readonly ReplicaId Shard = new("votes", 3);
    private static readonly Watermark At = Watermark.At(1_500_000_100);
    private static readonly ShardDigest Two = ShardDigest.Empty.Add(RecordDigest.Of("a", "{}"u8)).Add(RecordDigest.Of("b", "{}"u8));
    private static readonly ShardDigest One = ShardDigest.Empty.Add(RecordDigest.Of("a", "{}"u8));

    [Fact]
    public void Owners_that_hold_the_same_records_up_to_the_point_may_claim_it()
    {
        var (records, refusal) = ImportPointCheck.Decide(Shard, At, [new("node-a", Watermark.None, 2, Two), new("node-b", Watermark.None, 2, Two)]);

        Assert.Null(refusal);
        Assert.Equal(2, records);
    }

    [Fact]
    public void An_owner_that_lacks_imported_records_keeps_the_whole_shard_from_claiming_the_point()
    {
        var (_, refusal) = ImportPointCheck.Decide(Shard, At, [new("node-a", Watermark.None, 2, Two), new("node-b", Watermark.None, 1, One)]);

        Assert.Equal(
            "the replicas of shard votes/003 hold different records up to 2017-07-14T02:41:40Z (2 on node-a, 1 on node-b), so not all of them got the import; "
            + "wait until repair has made them equal (status shows one digest per shard) and run the import again",
            refusal);
    }

    [Fact]
    public void An_owner_already_past_the_point_is_the_reference_a_raised_owner_must_match()
    {
        var (_, refusal) = ImportPointCheck.Decide(Shard, At, [new("node-a", Watermark.At(1_500_000_500), 2, Two), new("node-b", Watermark.None, 1, One)]);

        Assert.NotNull(refusal);
    }

    [Fact]
    public void A_shard_whose_owners_are_all_past_the_point_has_nothing_to_raise_and_is_not_checked()
    {
        var (records, refusal) = ImportPointCheck.Decide(Shard, At, [new("node-a", Watermark.At(1_500_000_500), 2, Two), new("node-b", At, 1, One)]);

        Assert.Null(refusal);
        Assert.Equal(1, records);
    }
}
