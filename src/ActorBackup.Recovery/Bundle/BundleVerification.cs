namespace ActorBackup.Recovery.Bundle;

public enum TransactionStatus
{
    /// <summary>In a block the bundle's votes decide valid.</summary>
    Valid,
    /// <summary>In no valid block, but in one whose election is not decided yet.</summary>
    Undecided,
    /// <summary>Only in blocks voted invalid.</summary>
    Invalid,
    /// <summary>In no block of the bundle.</summary>
    NotFound,
}

/// <summary>A block holding a selected transaction and its election from the bundle's votes; the genesis block is never voted on.</summary>
public sealed record BlockOutcome(string Id, string Status, string Rules, int Voters, int ValidVotes, int InvalidVotes, bool IsGenesis);

/// <summary>A vote on a block: its id, the voter, and what it said.</summary>
public sealed record VoteOutcome(string Id, string Voter, bool IsBlockValid);

/// <summary>
/// The verdict on one selected transaction. <see cref="Block"/> is the block that decides it (the valid one, else an
/// undecided one, else an invalid one) with <see cref="Votes"/> on it; <see cref="Blocks"/> are all that hold it.
/// </summary>
public sealed record TransactionVerdict(string Id, TransactionStatus Status, BlockOutcome? Block, IReadOnlyList<VoteOutcome> Votes, IReadOnlyList<BlockOutcome> Blocks);

/// <summary>
/// What verifying a bundle found: every record that failed (named by id, with what failed), the verdict per selected
/// transaction, and which keys were trusted. Proven when nothing failed and every selected transaction is valid.
/// </summary>
public sealed record BundleVerification(
    string Path,
    BundleFederationKeys Trusted,
    int Blocks,
    int Votes,
    IReadOnlyList<string> Problems,
    IReadOnlyList<TransactionVerdict> Transactions)
{
    public bool IsProven => Problems.Count == 0 && Transactions.All(t => t.Status == TransactionStatus.Valid);
}
