using ActorBackup.Admin.Contract;
using ActorBackup.Cluster.Messages;

namespace ActorBackup.Cluster.Replica.Commands;

/// <summary>
/// The capture has delivered, and had acknowledged, every record up to <paramref name="To"/>.
/// Replied to with <see cref="Replies.WatermarkAck"/> once the new watermark is durable; a watermark
/// not past the current one is acknowledged without a write.
/// </summary>
public sealed record AdvanceWatermark(Watermark To) : IBackupMessage;
