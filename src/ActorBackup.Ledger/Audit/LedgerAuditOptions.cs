namespace ActorBackup.Ledger.Audit;

/// <summary>
/// <paramref name="RecentWindow"/>: how many recent block ids (and per voter a sixteenth as many recent votes) are remembered
/// to recognise references, duplicates and forks (a vote arriving further out of order than this may be
/// misreported). <paramref name="SkipGraceSeconds"/>: a voter whose last vote is this much newer than a block it
/// never voted on is reported as having skipped it.
/// </summary>
public sealed record LedgerAuditOptions(int RecentWindow = 65_536, long SkipGraceSeconds = 600)
{
    public static LedgerAuditOptions Default { get; } = new();
}
