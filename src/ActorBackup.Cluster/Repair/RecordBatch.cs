using ActorBackup.Cluster.Messages;
using ActorBackup.Cluster.Records;

namespace ActorBackup.Cluster.Repair;

/// <summary>
/// One element of a record transfer between siblings (<see cref="Replies.RecordsOffer"/>): records the
/// sending replica holds as stored (verified), never quarantined ones.
/// </summary>
public sealed record RecordBatch(IReadOnlyList<CapturedRecord> Records) : IBackupMessage
{
    public bool Equals(RecordBatch? other) => other is not null && Records.SequenceEqual(other.Records);
    public override int GetHashCode() => Records.Count;
}
