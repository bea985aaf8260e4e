using ActorBackup.Admin.Contract;
using ActorBackup.Cluster.Messages;
using ActorBackup.Cluster.Records;
using ActorBackup.Cluster.Replica;

namespace ActorBackup.Cluster.Ingest.Commands;

/// <summary>
/// An import's point for one replica, sent by the importing node to the <see cref="ImportReceiver"/> of an owner (itself
/// included): raise the watermark of <paramref name="Replica"/> to <paramref name="At"/>, where the owners of the shard
/// were found to hold <paramref name="Count"/> verified records with <paramref name="Digest"/> up to it. The receiver
/// checks that against its own replica and its own clock before its journal writes anything. Answered with
/// <see cref="Replica.Replies.WatermarkAck"/>, or <see cref="Replica.Replies.BatchRejected"/> with the reason.
/// </summary>
public sealed record RaiseImportPoint(ReplicaId Replica, Watermark At, long Count, ShardDigest Digest) : IBackupMessage;
