using ActorBackup.Cluster.Reading;

namespace ActorBackup.Cluster.Repair;

/// <summary>The decisions of anti-entropy, apart from any I/O: which buckets to repair, how, and which ids to pull.</summary>
public static class RepairPlanner
{
    /// <summary>
    /// The plan given this replica's and a sibling's bucket digests. A bucket counts only when it
    /// differs and the sibling holds records in it: what only this replica has, the sibling pulls in
    /// its own round. A replica holding less than <paramref name="farBehind"/> of the sibling's count
    /// pulls everything in one stream, which costs one pass over the sibling's journal instead of a
    /// listing and a lookup per bucket.
    /// </summary>
    public static RepairPlan Plan(IReadOnlyList<BucketDigest> own, IReadOnlyList<BucketDigest> sibling, double farBehind)
    {
        if (own.Count != sibling.Count)
            throw new ArgumentException($"the sibling sent {sibling.Count} bucket digests, this replica has {own.Count} buckets", nameof(sibling));
        var differing = Enumerable.Range(0, own.Count).Where(i => sibling[i].Count > 0 && own[i] != sibling[i]).ToArray();
        if (differing.Length == 0) return new RepairPlan.InSync();
        var ownCount = own.Sum(b => b.Count);
        var siblingCount = sibling.Sum(b => b.Count);
        return ownCount < siblingCount * farBehind ? new RepairPlan.BulkFill() : new RepairPlan.PullBuckets(differing);
    }

    /// <summary>The sibling's ids not stored here, in the sibling's order.</summary>
    public static IReadOnlyList<string> Missing(IReadOnlyList<string> siblingIds, IReadOnlySet<string> storedHere) =>
        siblingIds.Where(id => !storedHere.Contains(id)).ToArray();
}
