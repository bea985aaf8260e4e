using ActorBackup.Admin.Contract;

namespace ActorBackup.Cluster.Capture.Points;

/// <summary>Asks a <see cref="CapturePointActor"/> for the point it holds; answered with <see cref="CapturePoint"/> once recovered.</summary>
public sealed record GetCapturePoint
{
    public static GetCapturePoint Instance { get; } = new();
}

/// <summary>Capture's own confirmed point of a replica, <see cref="Watermark.None"/> before its first.</summary>
public sealed record CapturePoint(Watermark Point);

/// <summary>
/// Capture established <paramref name="Point"/> and the journal flushed it: persist it if it moves the point. Answered with
/// <see cref="CapturePointPersisted"/> once the point held is durable at or past it; a confirmation lost with a failed
/// journal write gets no answer.
/// </summary>
public sealed record ConfirmCapturePoint(Watermark Point);

/// <summary>The <see cref="CapturePointActor"/> holds <paramref name="Point"/> durably (at or past what it was asked to confirm).</summary>
public sealed record CapturePointPersisted(Watermark Point);
