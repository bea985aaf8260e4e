namespace ActorBackup.Ledger.Audit;

/// <summary>
/// What the audit found. <see cref="VoterTips"/>: per voter, the block of its newest vote (by vote timestamp, the later
/// record on a tie): where that node's chain continues, and past which nothing about its votes can be proven.
/// </summary>
public sealed record AuditReport(
    IReadOnlyList<AuditFinding> Findings,
    long BlocksSeen,
    long VotesSeen,
    string? GenesisBlockId,
    IReadOnlyDictionary<string, string> VoterTips)
{
    public bool IsComplete => Findings.Count == 0;
}
