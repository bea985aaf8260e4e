using ActorBackup.Cluster.Messages;
using ActorBackup.Cluster.Records;

namespace ActorBackup.Cluster.Replica.Commands;

/// <summary>
/// Keep a batch of records that failed verification. Replied to with
/// <see cref="Replies.RecordsQuarantinedAck"/> once durable, or <see cref="Replies.BatchRejected"/>.
/// </summary>
public sealed record QuarantineRecords(long BatchId, IReadOnlyList<QuarantinedRecord> Records) : IBackupMessage
{
    public bool Equals(QuarantineRecords? other) => other is not null && BatchId == other.BatchId && Records.SequenceEqual(other.Records);
    public override int GetHashCode() => HashCode.Combine(BatchId, Records.Count);
}
