namespace ActorBackup.Admin.Contract.Status;

/// <summary>The capture phases of a replica as the status JSON spells them.</summary>
public static class ReplicaPhases
{
    public const string Connecting = "connecting";
    public const string CatchingUp = "catching-up";
    public const string Live = "live";
    public const string Backoff = "backoff";
}
