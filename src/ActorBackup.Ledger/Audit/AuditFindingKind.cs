namespace ActorBackup.Ledger.Audit;

public enum AuditFindingKind
{
    /// <summary>A block referenced by a vote (voting_for_block or an unconfirmed previous_block) was never seen.</summary>
    MissingBlock,
    /// <summary>A voter's chain passes through a block it has no vote for, or it kept voting and skipped a block.</summary>
    MissingVote,
    /// <summary>A vote for a block that was never seen.</summary>
    OrphanVote,
    /// <summary>One voter cast two votes with the same previous_block: its chain branches.</summary>
    Fork,
    /// <summary>One voter cast two votes for the same block.</summary>
    DuplicateVote,
    /// <summary>A vote by a node that is not among the block's voters.</summary>
    UnexpectedVoter,
}
