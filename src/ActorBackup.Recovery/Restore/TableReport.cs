using ActorBackup.Recovery.Verification;

namespace ActorBackup.Recovery.Restore;

/// <summary>What was done to one table.</summary>
/// <param name="Table">The table name.</param>
/// <param name="PrimaryKey">Its primary key.</param>
/// <param name="Documents">Documents written (or, on a dry run, that would be).</param>
/// <param name="Bytes">Bytes of JSON in those documents.</param>
/// <param name="Indexes">Secondary indexes created (or that would be).</param>
/// <param name="Verification">Null on a dry run.</param>
public sealed record TableReport(string Table, string PrimaryKey, long Documents, long Bytes, IReadOnlyList<string> Indexes,
    TableVerification? Verification);
