namespace ActorBackup.Recovery.Scratch;

/// <summary>
/// What a scratch restore did: the backup as of the cluster's restorable point, read through the cluster, written
/// into a scratch database and verified table by table (counts and digests).
/// </summary>
/// <param name="At">The restorable point restored (Unix seconds); null when the restore failed before choosing it.</param>
/// <param name="Documents">Documents written into the scratch database.</param>
/// <param name="ComparedWith">What the scratch database was verified against: "the backup", or "the backup and the source".</param>
/// <param name="FirstProblem">Why it did not verify, in one line; null when it did.</param>
/// <param name="Dropped">The scratch database was dropped after the verified restore.</param>
public sealed record ScratchRestoreResult(
    string Database,
    string Server,
    long? At,
    long Documents,
    string ComparedWith,
    string? FirstProblem,
    TimeSpan Duration,
    bool Dropped)
{
    public bool Verified => FirstProblem is null;
}
