using ActorBackup.Cluster.Messages;
using ActorBackup.Cluster.Records;

namespace ActorBackup.Cluster.Replica.Commands;

/// <summary>
/// Keep a batch of records that failed verification. Replied to with
/// <see cref="Replies.RecordsQuarantinedAck"/> once durable, or <see cref="Replies.BatchRejected"/>.
/// </summary>
/// <remarks>A journal takes it only from this process (<see cref="Local"/>); over the wire it goes to an import receiver.</remarks>
public sealed record QuarantineRecords(long BatchId, IReadOnlyList<QuarantinedRecord> Records) : IBackupMessage
{
    /// <summary><see cref="LocalOrigin.Instance"/> when this process wrote it; never serialized.</summary>
    public LocalOrigin? Origin { get; init; }

    /// <summary>The command from this process, for a journal of this node.</summary>
    public static QuarantineRecords Local(long batchId, IReadOnlyList<QuarantinedRecord> records) => new(batchId, records) { Origin = LocalOrigin.Instance };

    public bool Equals(QuarantineRecords? other) => other is not null && BatchId == other.BatchId && Records.SequenceEqual(other.Records);
    public override int GetHashCode() => HashCode.Combine(BatchId, Records.Count);
}
