using ActorBackup.Admin.Contract;
using ActorBackup.Cluster.Messages;
using ActorBackup.Cluster.Records;
using ActorBackup.Cluster.Replica.Events;

namespace ActorBackup.Cluster.Replica;

/// <summary>
/// What a replica knows durably, in constant size whatever the table size: the ids themselves live in
/// the node's record index, not here. Also the snapshot the replica saves.
/// </summary>
/// <param name="StoredCount">Verified records stored.</param>
/// <param name="QuarantinedCount">Records kept in quarantine.</param>
/// <param name="Digest">Digest of the verified records stored.</param>
/// <param name="Watermark">Flushed watermark: every record up to it is durable here.</param>
/// <param name="NewestTimestamp">Largest record timestamp stored, or -1 before the first.</param>
/// <param name="QuarantineBytes">Disk the kept quarantine entries take, as <see cref="QuarantineEntry.Weight"/> counts it.</param>
/// <param name="QuarantineDropped">Quarantined records only counted, not kept, because the quarantine was full.</param>
public sealed record ReplicaState(ReplicaId Replica, long StoredCount, long QuarantinedCount, ShardDigest Digest, Watermark Watermark, long NewestTimestamp,
    long QuarantineBytes = 0, long QuarantineDropped = 0)
    : IBackupMessage
{
    public static ReplicaState Empty(ReplicaId replica) => new(replica, 0, 0, ShardDigest.Empty, Watermark.None, -1);

    /// <summary>The state after an event; pure, used both live and during recovery.</summary>
    public static ReplicaState Apply(ReplicaState state, IReplicaEvent @event) => @event switch
    {
        RecordsStored stored => state with
        {
            StoredCount = state.StoredCount + stored.Records.Count,
            Digest = stored.Records.Aggregate(state.Digest, (d, r) => d.Add(RecordDigest.Of(r))),
            NewestTimestamp = stored.Records.Aggregate(state.NewestTimestamp, (t, r) => Math.Max(t, r.Timestamp)),
        },
        RecordsQuarantined quarantined => state with
        {
            QuarantinedCount = state.QuarantinedCount + quarantined.Records.Count + quarantined.Dropped,
            QuarantineBytes = state.QuarantineBytes + quarantined.Records.Sum(e => e.Weight),
            QuarantineDropped = state.QuarantineDropped + quarantined.Dropped,
        },
        WatermarkAdvanced advanced => state with { Watermark = Watermark.Max(state.Watermark, advanced.To) },
        EventsMerged merged => Apply(Apply(Apply(state, merged.Stored), merged.Quarantined), new WatermarkAdvanced(merged.Watermark)),
        _ => throw new ArgumentException($"{@event.GetType().Name} is not a replica event this version knows.", nameof(@event)),
    };
}
