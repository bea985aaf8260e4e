using ActorBackup.Cluster.Messages;
using ActorBackup.Cluster.Records;

namespace ActorBackup.Cluster.Replica.Commands;

/// <summary>
/// Store a batch of verified records of this replica's shard. Replied to with
/// <see cref="Replies.RecordsStoredAck"/> once durable, or <see cref="Replies.BatchRejected"/>.
/// </summary>
/// <param name="BatchId">Chosen by the sender, echoed in the reply.</param>
/// <remarks>A journal takes it only from this process (<see cref="Local"/>); over the wire it goes to an import receiver.</remarks>
public sealed record StoreRecords(long BatchId, IReadOnlyList<CapturedRecord> Records) : IBackupMessage
{
    /// <summary><see cref="LocalOrigin.Instance"/> when this process wrote it; never serialized.</summary>
    public LocalOrigin? Origin { get; init; }

    /// <summary>The command from this process, for a journal of this node.</summary>
    public static StoreRecords Local(long batchId, IReadOnlyList<CapturedRecord> records) => new(batchId, records) { Origin = LocalOrigin.Instance };

    public bool Equals(StoreRecords? other) => other is not null && BatchId == other.BatchId && Records.SequenceEqual(other.Records);
    public override int GetHashCode() => HashCode.Combine(BatchId, Records.Count);
}
