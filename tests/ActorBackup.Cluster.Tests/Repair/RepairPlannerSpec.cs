using ActorBackup.Cluster.Reading;
using ActorBackup.Cluster.Records;
using ActorBackup.Cluster.Repair;

namespace ActorBackup.Cluster.Tests.Repair;

public sealed class RepairPlannerSpec
{
    private static BucketDigest Bucket(params int[] records) =>
        records.Aggregate(BucketDigest.Empty, (b, n) => b.Add(RecordDigest.Of(SpreadSamples.Vote(n))));

    private static BucketDigest[] Buckets(Func<int, BucketDigest> bucket) => Enumerable.Range(0, IdBuckets.Count).Select(bucket).ToArray();

    [Fact]
    public void Equal_digests_need_nothing()
    {
        var digests = Buckets(i => Bucket(i, i + 1000));

        Assert.Equal(new RepairPlan.InSync(), RepairPlanner.Plan(digests, digests, 0.5));
    }

    [Fact]
    public void Only_the_buckets_that_differ_and_that_the_sibling_has_records_in_are_pulled()
    {
        var sibling = Buckets(i => i is 3 or 7 ? BucketDigest.Empty : Bucket(i, i + 1000));
        var own = Buckets(i => i switch
        {
            5 => Bucket(i),
            7 => Bucket(i),
            200 => Bucket(i + 1000),
            _ => Bucket(i, i + 1000),
        });

        Assert.Equal(new RepairPlan.PullBuckets([5, 200]), RepairPlanner.Plan(own, sibling, 0.5));
    }

    [Fact]
    public void An_empty_replica_pulls_everything_in_one_stream()
    {
        var sibling = Buckets(i => Bucket(i));

        Assert.Equal(new RepairPlan.BulkFill(), RepairPlanner.Plan(Buckets(_ => BucketDigest.Empty), sibling, 0.5));
    }

    [Fact]
    public void A_replica_holding_less_than_the_far_behind_fraction_pulls_everything()
    {
        var sibling = Buckets(i => Bucket(i, i + 1000));
        var behind = Buckets(i => i < 100 ? Bucket(i, i + 1000) : BucketDigest.Empty);
        var close = Buckets(i => i < 160 ? Bucket(i, i + 1000) : Bucket(i));

        Assert.Equal(new RepairPlan.BulkFill(), RepairPlanner.Plan(behind, sibling, 0.5));
        Assert.IsType<RepairPlan.PullBuckets>(RepairPlanner.Plan(close, sibling, 0.5));
    }

    [Fact]
    public void An_empty_sibling_gives_nothing_to_pull()
    {
        Assert.Equal(new RepairPlan.InSync(), RepairPlanner.Plan(Buckets(i => Bucket(i)), Buckets(_ => BucketDigest.Empty), 0.5));
    }

    [Fact]
    public void Digests_of_another_bucket_count_are_refused_with_a_clear_error()
    {
        var e = Assert.Throws<ArgumentException>(() => RepairPlanner.Plan(Buckets(_ => BucketDigest.Empty), [BucketDigest.Empty], 0.5));

        Assert.StartsWith("the sibling sent 1 bucket digests, this replica has 256 buckets", e.Message);
    }

    [Fact]
    public void The_missing_ids_are_the_siblings_ids_not_stored_here_in_the_siblings_order()
    {
        Assert.Equal(["c", "a"], RepairPlanner.Missing(["c", "b", "a", "d"], new HashSet<string> { "b", "d", "x" }));
    }
}
