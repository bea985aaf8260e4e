using ActorBackup.Ledger.Documents;
using ActorBackup.Ledger.Federation;

namespace ActorBackup.Ledger.Election;

/// <summary>Decides a block's status from its votes, by the rules of the BigchainDB version that wrote it.</summary>
public static class BlockElection
{
    /// <param name="votes">Votes for <paramref name="block"/>; votes for other blocks are ignored.</param>
    /// <param name="federation">The evaluating node's keyring and itself; used by the 0.10 rules only.</param>
    public static ElectionResult Decide(Block block, IEnumerable<Vote> votes, FederationKeys federation, ElectionRules rules)
    {
        var forBlock = votes.Where(v => v.VotingForBlock == block.Id).ToList();
        return rules == ElectionRules.V010 ? Decide010(block, forBlock, federation) : DecideBefore010(block, forBlock, rules);
    }

    private static ElectionResult DecideBefore010(Block block, List<Vote> votes, ElectionRules rules)
    {
        var n = block.Voters.Count;
        var listed = block.Voters.ToHashSet(StringComparer.Ordinal);
        var counted = votes.Where(v => listed.Contains(v.NodePubkey) && VoteSignature.Verifies(v)).ToList();
        var yes = counted.Where(v => v.IsBlockValid).ToList();
        var valid = yes.Count;
        // Votes that do not count (bad signature, unlisted voter) still count as invalid before 0.10 (issue #1168).
        var invalid = votes.Count - valid;
        var (previous, agreeing) = LargestPreviousBlockGroup(yes);

        if (rules == ElectionRules.V06ToV09)
        {
            var duplicates = Duplicates(votes);
            if (duplicates.Count > 0 || votes.Count > n)
                return new ElectionResult(BlockStatus.Undecided, n, valid, invalid, previous, duplicates);
        }

        BlockStatus status;
        if (invalid >= (n + 1) / 2)
            status = BlockStatus.Invalid;
        else if (valid > n / 2)
            status = rules == ElectionRules.V05 || agreeing > n / 2 ? BlockStatus.Valid : BlockStatus.Invalid;
        else
            status = BlockStatus.Undecided;
        return new ElectionResult(status, n, valid, invalid, previous, []);
    }

    private static ElectionResult Decide010(Block block, List<Vote> votes, FederationKeys federation)
    {
        var eligibleVoters = block.Voters.Where(federation.Contains).ToHashSet(StringComparer.Ordinal);
        var n = eligibleVoters.Count;
        var eligible = votes.Where(v => eligibleVoters.Contains(v.NodePubkey) && VoteSignature.Verifies(v)).ToList();
        var duplicates = Duplicates(eligible);
        var (previous, nValid) = LargestPreviousBlockGroup(eligible.Where(v => v.IsBlockValid));
        var nInvalid = eligible.Count - nValid;
        if (duplicates.Count > 0)
            return new ElectionResult(BlockStatus.Undecided, n, nValid, nInvalid, previous, duplicates);

        var status = 2 * nInvalid >= n ? BlockStatus.Invalid
            : 2 * nValid > n ? BlockStatus.Valid
            : BlockStatus.Undecided;
        return new ElectionResult(status, n, nValid, nInvalid, previous, []);
    }

    private static (string? PreviousBlock, int Count) LargestPreviousBlockGroup(IEnumerable<Vote> yesVotes)
    {
        var largest = yesVotes.GroupBy(v => v.PreviousBlock, StringComparer.Ordinal)
            .OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).FirstOrDefault();
        return largest is null ? (null, 0) : (largest.Key, largest.Count());
    }

    private static List<string> Duplicates(IEnumerable<Vote> votes) =>
        votes.GroupBy(v => v.NodePubkey, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key).Order(StringComparer.Ordinal).ToList();
}
