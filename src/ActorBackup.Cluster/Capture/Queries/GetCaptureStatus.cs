using ActorBackup.Cluster.Messages;

namespace ActorBackup.Cluster.Capture.Queries;

/// <summary>Asks a <see cref="CaptureActor"/> for its <see cref="Replies.CaptureStatus"/>.</summary>
public sealed record GetCaptureStatus : IBackupMessage
{
    public static GetCaptureStatus Instance { get; } = new();
}
