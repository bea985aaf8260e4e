namespace ActorBackup.Ledger.Audit;

/// <summary>
/// <paramref name="MemoryEntries"/>: how many facts (one per block, two per vote) the audit keeps in memory before it
/// sorts them out to a temporary file; this, not the ledger's size, bounds its memory. <paramref name="SkipGraceSeconds"/>:
/// a voter whose newest vote is this much newer than a block it never voted on is reported as having skipped it.
/// <paramref name="TempDirectory"/>: where the sorted runs go (the system's temporary folder when null); compressed, they
/// take tens of bytes per record (29 MB for a million in the audit-memory benchmark) and are deleted when the audit is disposed.
/// </summary>
public sealed record LedgerAuditOptions(int MemoryEntries = 65_536, long SkipGraceSeconds = 600, string? TempDirectory = null)
{
    public static LedgerAuditOptions Default { get; } = new();
}
