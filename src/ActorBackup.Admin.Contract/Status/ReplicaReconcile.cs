namespace ActorBackup.Admin.Contract.Status;

/// <summary>A replica's reconciliation with the source: the proof, beyond its feed, that it holds what the source holds.</summary>
/// <param name="At">The source's time of the last completed reconciliation: every record the source held then, the replica holds. Null before the first.</param>
/// <param name="Found">Records only reconciliation found (the feed and the catch-up scans missed them), since the replica's actor started.</param>
/// <param name="SourceLacks">In the last reconciliation, records the replica holds that the source does not.</param>
/// <param name="LastError">Why the last reconciliation failed; null when it completed.</param>
public sealed record ReplicaReconcile(DateTimeOffset? At, long Found, long SourceLacks, string? LastError);
