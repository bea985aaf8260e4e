using ActorBackup.Cluster.Capture;

namespace ActorBackup.Cluster.Status;

/// <summary>The capture phases as the status JSON spells them.</summary>
public static class ReplicaPhases
{
    public const string Connecting = "connecting";
    public const string CatchingUp = "catching-up";
    public const string Live = "live";
    public const string Backoff = "backoff";

    public static string NameOf(CapturePhase phase) => phase switch
    {
        CapturePhase.Connecting => Connecting,
        CapturePhase.CatchingUp => CatchingUp,
        CapturePhase.Live => Live,
        CapturePhase.Backoff => Backoff,
        _ => phase.ToString().ToLowerInvariant(),
    };
}
