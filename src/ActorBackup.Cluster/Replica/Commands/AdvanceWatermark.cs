using ActorBackup.Admin.Contract;
using ActorBackup.Cluster.Messages;

namespace ActorBackup.Cluster.Replica.Commands;

/// <summary>
/// The capture has delivered, and had acknowledged, every record up to <paramref name="To"/>.
/// Replied to with <see cref="Replies.WatermarkAck"/> once the new watermark is durable; a watermark
/// not past the current one is acknowledged without a write.
/// </summary>
/// <remarks>
/// A journal takes it only from this process (<see cref="Local"/>): capture, repair, or the import receiver after
/// checking an import's point against what this node holds.
/// </remarks>
public sealed record AdvanceWatermark(Watermark To) : IBackupMessage
{
    /// <summary><see cref="LocalOrigin.Instance"/> when this process wrote it; never serialized.</summary>
    public LocalOrigin? Origin { get; init; }

    /// <summary>The command from this process, for a journal of this node.</summary>
    public static AdvanceWatermark Local(Watermark to) => new(to) { Origin = LocalOrigin.Instance };

    public bool Equals(AdvanceWatermark? other) => other is not null && To == other.To;
    public override int GetHashCode() => To.GetHashCode();
}
