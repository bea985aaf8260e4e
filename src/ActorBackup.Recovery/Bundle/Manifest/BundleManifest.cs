using ActorBackup.Ledger.Selection;

namespace ActorBackup.Recovery.Bundle.Manifest;

/// <summary>
/// What a client bundle says about itself, kept in the archive beside the tables: what was asked, when and from
/// where each part was taken, the federation keys it was checked with, every selected transaction with the blocks
/// holding it, and every block with its election result and the votes on it. None of it is signed: a verifier
/// checks the records against it, and it against the records, but trusts only signatures.
/// </summary>
public sealed record BundleManifest(
    BundleSelection Selection,
    IReadOnlyList<BundleTake> Takes,
    BundleFederation Federation,
    IReadOnlyList<BundleTransaction> Transactions,
    IReadOnlyList<BundleBlock> Blocks)
{
    public const string Format = "actorbackup-client-bundle/1";
}

/// <summary>What was asked: transaction ids, public keys and asset ids.</summary>
public sealed record BundleSelection(IReadOnlyList<string> Transactions, IReadOnlyList<string> PublicKeys, IReadOnlyList<string> Assets)
{
    public static BundleSelection Of(TransactionSelection selection) => new(selection.TransactionIds, selection.PublicKeys, selection.AssetIds);

    public TransactionSelection ToSelection() => new(Transactions, PublicKeys, Assets);
}

/// <summary>
/// One reading of a source: when (<paramref name="At"/>, this machine's clock), from where, how each table was read
/// (an index or a scan, and why), and how many records it added to the bundle.
/// </summary>
public sealed record BundleTake(DateTimeOffset At, string From, IReadOnlyList<string> Reads, int BlocksAdded, int VotesAdded);

/// <summary>The federation's public keys the elections were decided with, and where they came from.</summary>
public sealed record BundleFederation(string Source, IReadOnlyList<string> Keys);

/// <summary>A selected transaction and the blocks of the bundle holding it (none: not found in any block).</summary>
public sealed record BundleTransaction(string Id, IReadOnlyList<string> Blocks);

/// <summary>A block: its id, the digest of its document, its election result, and every vote on it in the bundle.</summary>
public sealed record BundleBlock(string Id, string Digest, BundleElection Election, IReadOnlyList<BundleVote> Votes);

/// <summary>A vote: its RethinkDB id, the voting node, the digest of its document.</summary>
public sealed record BundleVote(string Id, string Voter, string Digest);

/// <summary>A block's election as BigchainDB decides it (reference §6): status, the version's rules, n and the counts.</summary>
public sealed record BundleElection(string Status, string Rules, int Voters, int ValidVotes, int InvalidVotes);
