using ActorBackup.Cluster.Records;

namespace ActorBackup.Cluster.Replica.Events;

/// <summary>
/// A batch of records that failed verification, none quarantined before in this replica: the entries kept, and how
/// many more were only counted because the replica's quarantine had reached <c>actorbackup.quarantine.max-bytes</c>.
/// </summary>
public sealed record RecordsQuarantined(IReadOnlyList<QuarantineEntry> Records, long Dropped = 0) : IReplicaEvent
{
    public bool Equals(RecordsQuarantined? other) => other is not null && Dropped == other.Dropped && Records.SequenceEqual(other.Records);
    public override int GetHashCode() => HashCode.Combine(Records.Count, Dropped);
}
