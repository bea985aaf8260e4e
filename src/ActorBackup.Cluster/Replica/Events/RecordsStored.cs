using ActorBackup.Cluster.Records;

namespace ActorBackup.Cluster.Replica.Events;

/// <summary>A batch of verified records, none stored before in this replica. One journal write.</summary>
public sealed record RecordsStored(IReadOnlyList<CapturedRecord> Records) : IReplicaEvent
{
    public bool Equals(RecordsStored? other) => other is not null && Records.SequenceEqual(other.Records);
    public override int GetHashCode() => Records.Count;
}
