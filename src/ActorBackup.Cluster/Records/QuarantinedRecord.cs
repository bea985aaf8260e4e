namespace ActorBackup.Cluster.Records;

/// <summary>A record that failed verification, kept with the reason instead of being dropped.</summary>
/// <param name="Record">The record as received (its verdict is <see cref="RecordVerdict.Quarantined"/>).</param>
/// <param name="ReasonCode">A short stable code operators can filter on, e.g. "bad-signature".</param>
/// <param name="Message">One line saying what exactly failed.</param>
public sealed record QuarantinedRecord(CapturedRecord Record, string ReasonCode, string Message);
