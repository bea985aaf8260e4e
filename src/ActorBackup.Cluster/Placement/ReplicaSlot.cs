namespace ActorBackup.Cluster.Placement;

/// <summary>One replica of one shard of one table: the unit placement hands to a node.</summary>
/// <param name="Replica">0 for the first choice of the shard, up to R-1.</param>
public readonly record struct ReplicaSlot(string Table, int Shard, int Replica)
{
    public override string ToString() => $"{Table}/{Shard}/{Replica}";
}
