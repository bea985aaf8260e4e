namespace ActorBackup.Ledger.Audit;

/// <summary>
/// One completeness problem. <see cref="BlockId"/> is the block concerned, <see cref="Voter"/> the voting node's
/// key when a voter is involved, <see cref="VoteId"/> the RethinkDB id of the vote that revealed it, if stored.
/// </summary>
public sealed record AuditFinding(AuditFindingKind Kind, string BlockId, string? Voter, string? VoteId, string Message)
{
    public override string ToString() => $"{Kind} block={BlockId}{(Voter is null ? "" : $" voter={Voter}")}{(VoteId is null ? "" : $" vote={VoteId}")}: {Message}";
}
