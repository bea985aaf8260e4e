using ActorBackup.Admin.Contract;


namespace ActorBackup.Cluster.Capture.Pipeline;

// The messages between a capture pipeline and the actor that owns it. Local only: they never leave the node.

/// <summary>The pipeline starts an attempt and asks how: answered with <see cref="AttemptPlan"/>.</summary>
internal sealed record PlanAttempt
{
    public static PlanAttempt Instance { get; } = new();
}

/// <summary>Attempt number <paramref name="Attempt"/> scans from <paramref name="ScanFrom"/> and tries source <paramref name="FirstSource"/> first.</summary>
internal sealed record AttemptPlan(long Attempt, Watermark ScanFrom, int FirstSource);

/// <summary>An attempt's notice (<see cref="FeedOpened"/>, <see cref="CatchUpByRange"/>, <see cref="ScanCompleted"/>), for status.</summary>
internal sealed record AttemptProgress(long Attempt, CaptureElement Notice);

/// <summary>An attempt ended: with the error that ended it, or null when its source completed or was cancelled.</summary>
internal sealed record AttemptEnded(long Attempt, Exception? Error);

/// <summary>Sink.ActorRefWithAck protocol: the stream starts, each element waits for <see cref="StreamAck"/>.</summary>
internal sealed record StreamInit
{
    public static StreamInit Instance { get; } = new();
}

internal sealed record StreamAck
{
    public static StreamAck Instance { get; } = new();
}

internal sealed record StreamCompleted
{
    public static StreamCompleted Instance { get; } = new();
}

/// <summary>The pipeline itself failed (not an attempt: those restart inside it), e.g. the journal refused a batch.</summary>
internal sealed record StreamFailed(Exception Error);
