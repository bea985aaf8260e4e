using ActorBackup.Cluster.Messages;
using ActorBackup.Cluster.Records;

namespace ActorBackup.Cluster.Replica.Commands;

/// <summary>
/// Store a batch of verified records of this replica's shard. Replied to with
/// <see cref="Replies.RecordsStoredAck"/> once durable, or <see cref="Replies.BatchRejected"/>.
/// </summary>
/// <param name="BatchId">Chosen by the sender, echoed in the reply.</param>
public sealed record StoreRecords(long BatchId, IReadOnlyList<CapturedRecord> Records) : IBackupMessage
{
    public bool Equals(StoreRecords? other) => other is not null && BatchId == other.BatchId && Records.SequenceEqual(other.Records);
    public override int GetHashCode() => HashCode.Combine(BatchId, Records.Count);
}
