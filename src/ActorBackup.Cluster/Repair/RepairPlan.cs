namespace ActorBackup.Cluster.Repair;

/// <summary>What a replica does after comparing its bucket digests with a sibling's.</summary>
public abstract record RepairPlan
{
    private RepairPlan() { }

    /// <summary>Every bucket the sibling has records in is equal here: nothing to pull.</summary>
    public sealed record InSync : RepairPlan;

    /// <summary>This replica is empty or far behind: pull the sibling's whole replica as one stream.</summary>
    public sealed record BulkFill : RepairPlan;

    /// <summary>List the ids of these buckets at the sibling and pull the ones missing here.</summary>
    public sealed record PullBuckets(IReadOnlyList<int> Buckets) : RepairPlan
    {
        public bool Equals(PullBuckets? other) => other is not null && Buckets.SequenceEqual(other.Buckets);
        public override int GetHashCode() => Buckets.Count;
    }
}
