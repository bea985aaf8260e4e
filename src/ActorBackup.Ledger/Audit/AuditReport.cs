namespace ActorBackup.Ledger.Audit;

/// <summary>
/// What the audit found. <see cref="VoterTips"/>: per voter, the block of its last vote in stream order, which is
/// where that node's chain continues.
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
