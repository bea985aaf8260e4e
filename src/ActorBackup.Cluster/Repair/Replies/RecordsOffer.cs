using ActorBackup.Admin.Contract;
using ActorBackup.Cluster.Messages;
using ActorBackup.Cluster.Replica;
using Akka.Streams;

namespace ActorBackup.Cluster.Repair.Replies;

/// <summary>
/// The records asked for, as a stream the asker pulls at its own pace: the sibling reads its journal
/// only as fast as the asker stores. Not pulled within the stream-ref subscription timeout, it is dropped.
/// </summary>
/// <param name="BackedUpTo">The offering replica's flushed watermark before it started reading.</param>
public sealed record RecordsOffer(ReplicaId Replica, Watermark BackedUpTo, ISourceRef<RecordBatch> Records) : IBackupMessage;
