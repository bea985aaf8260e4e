using ActorBackup.Admin.Contract;

namespace ActorBackup.Cluster.Capture.Points;

/// <summary>Asks a <see cref="CapturePointActor"/> for the point it holds; answered with <see cref="CapturePoint"/> once recovered.</summary>
public sealed record GetCapturePoint
{
    public static GetCapturePoint Instance { get; } = new();
}

/// <summary>Capture's own confirmed point of a replica, <see cref="Watermark.None"/> before its first.</summary>
public sealed record CapturePoint(Watermark Point);

/// <summary>Capture established <paramref name="Point"/> and the journal flushed it: persist it if it moves the point.</summary>
public sealed record ConfirmCapturePoint(Watermark Point);
