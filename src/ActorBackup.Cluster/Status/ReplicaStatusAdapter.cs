using ActorBackup.Admin.Contract.Status;
using ActorBackup.Cluster.Capture;
using ActorBackup.Cluster.Capture.Queries;
using ActorBackup.Cluster.Capture.Replies;

namespace ActorBackup.Cluster.Status;

/// <summary>
/// How a node asks one of its replica actors (a <see cref="Capture.CaptureActor"/>) for its status and turns the
/// reply into the <see cref="ReplicaReport"/> it shares: the one place to change when the replica actor changes.
/// </summary>
public static class ReplicaStatusAdapter
{
    /// <summary>The question every replica actor answers.</summary>
    public static object Query => GetCaptureStatus.Instance;

    /// <summary>The report for a reply, or null when the reply is not a status.</summary>
    public static ReplicaReport? ToReport(object reply, string node, string region) =>
        reply is CaptureStatus s
            ? new ReplicaReport(node, region, s.Replica.Table, s.Replica.Shard, s.StoredCount, s.QuarantinedCount, s.Flushed, s.Digest,
                new ReplicaCapture(NameOf(s.Phase), s.LagSeconds, s.Restarts, s.Gaps, s.LastError, s.Source, s.RecordsCaptured, s.FeedSince,
                    s.Reconcile?.ReconciledAt, s.Reconcile?.Found ?? 0, s.Reconcile?.SourceLacks ?? 0, s.Reconcile?.LastError,
                    s.CatchUpFallback, s.WatermarkHeld),
                Environment.ProcessId)
            : null;

    /// <summary>A capture phase as the status JSON spells it.</summary>
    public static string NameOf(CapturePhase phase) => phase switch
    {
        CapturePhase.Connecting => ReplicaPhases.Connecting,
        CapturePhase.CatchingUp => ReplicaPhases.CatchingUp,
        CapturePhase.Live => ReplicaPhases.Live,
        CapturePhase.Backoff => ReplicaPhases.Backoff,
        _ => phase.ToString().ToLowerInvariant(),
    };
}
