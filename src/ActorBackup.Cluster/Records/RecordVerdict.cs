namespace ActorBackup.Cluster.Records;

/// <summary>What verification said about a captured record. Stored values: never renumber.</summary>
public enum RecordVerdict : byte
{
    /// <summary>Id and Ed25519 signature checked against the federation's keys.</summary>
    Verified = 1,

    /// <summary>A check failed; the record is kept in quarantine and never restored as valid.</summary>
    Quarantined = 2,
}
