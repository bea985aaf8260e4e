using ActorBackup.Admin.Contract;
using ActorBackup.Cluster.Messages;

namespace ActorBackup.Cluster.Replica.Replies;

/// <summary>The replica's flushed watermark after an <see cref="Commands.AdvanceWatermark"/>.</summary>
public sealed record WatermarkAck(Watermark Flushed) : IBackupMessage;
