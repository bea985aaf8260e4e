using ActorBackup.Cluster.Records;

namespace ActorBackup.Cluster.Replica.Events;

/// <summary>A batch of records that failed verification, none quarantined before in this replica.</summary>
public sealed record RecordsQuarantined(IReadOnlyList<QuarantinedRecord> Records) : IReplicaEvent
{
    public bool Equals(RecordsQuarantined? other) => other is not null && Records.SequenceEqual(other.Records);
    public override int GetHashCode() => Records.Count;
}
