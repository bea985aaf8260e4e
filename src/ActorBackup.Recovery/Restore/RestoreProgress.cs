namespace ActorBackup.Recovery.Restore;

/// <summary>Where a table's restore stands; reported through <see cref="IProgress{T}"/>.</summary>
/// <param name="Table">The table name.</param>
/// <param name="Phase">What is happening to it.</param>
/// <param name="Documents">Documents written so far.</param>
/// <param name="Bytes">Bytes of JSON written so far.</param>
/// <param name="ExpectedDocuments">The source's estimate, when it has one.</param>
public sealed record RestoreProgress(string Table, RestorePhase Phase, long Documents, long Bytes, long? ExpectedDocuments);

public enum RestorePhase
{
    /// <summary>The table exists in the target; documents follow.</summary>
    Started,

    /// <summary>A batch was written (reported from writer threads, in any order).</summary>
    Writing,

    /// <summary>Every document is written.</summary>
    Written,

    /// <summary>Its secondary indexes are built.</summary>
    Indexed,

    /// <summary>Its count and digest were compared with the target.</summary>
    Verified,
}
