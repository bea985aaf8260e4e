using ActorBackup.Admin.Contract;
using ActorBackup.Cluster.Messages;
using ActorBackup.Cluster.Records;

namespace ActorBackup.Cluster.Replica.Replies;

/// <summary>A replica's durable state; <see cref="BackedUpTo"/> is the flushed watermark, the only one to report as backed up.</summary>
/// <param name="LastSequenceNr">Sequence number of the last event in the replica's journal.</param>
public sealed record ReplicaStatus(ReplicaId Replica, long StoredCount, long QuarantinedCount, ShardDigest Digest, Watermark BackedUpTo, long NewestTimestamp, long LastSequenceNr)
    : IBackupMessage;
