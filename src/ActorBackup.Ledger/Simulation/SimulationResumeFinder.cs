namespace ActorBackup.Ledger.Simulation;

/// <summary>
/// Works out where a simulated federation stopped from what it stored, the way a restarted BigchainDB node does:
/// the highest recorded block number, and each node's last vote (reference §5.3).
/// </summary>
public static class SimulationResumeFinder
{
    /// <summary>
    /// The state to continue from, or null when nothing is stored. A ledger with blocks but no genesis block is
    /// not one this simulator wrote: <see cref="InvalidDataException"/>.
    /// </summary>
    public static SimulationResume? Find(IEnumerable<StoredBlockMark> blocks, IEnumerable<StoredVoteMark> votes)
    {
        StoredBlockMark? genesis = null;
        StoredBlockMark? last = null;
        foreach (var block in blocks)
        {
            if (block.Number == 0)
                genesis = block;
            if (last is null || block.Number > last.Number)
                last = block;
        }
        if (last is null)
            return null;
        if (genesis is null)
            throw new InvalidDataException("the stored blocks have no genesis block");
        var lastVoted = votes
            .GroupBy(v => v.NodePubkey, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => LastVotedBlock(g), StringComparer.Ordinal);
        return new SimulationResume(last.Number + 1, last.Id, genesis.Id, lastVoted);
    }

    /// <summary>
    /// BigchainDB's <c>get_last_voted_block</c>: among one node's votes with the greatest timestamp (several can
    /// share a second), follow previous_block → voting_for_block to the end of the chain.
    /// </summary>
    public static string LastVotedBlock(IEnumerable<StoredVoteMark> votesOfOneNode)
    {
        var all = votesOfOneNode.ToList();
        if (all.Count == 0)
            throw new ArgumentException("A node without votes has no last voted block.", nameof(votesOfOneNode));
        var newest = all.Select(v => v.Timestamp).Max(StringComparer.Ordinal);
        var latest = all.Where(v => string.Equals(v.Timestamp, newest, StringComparison.Ordinal)).ToList();
        var next = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var vote in latest)
            next[vote.PreviousBlock] = vote.VotingForBlock;
        var tip = latest[0].VotingForBlock;
        for (var steps = 0; next.TryGetValue(tip, out var following); steps++)
        {
            if (steps > latest.Count)
                throw new InvalidDataException($"the votes of node {latest[0].NodePubkey} form a cycle through block {tip}");
            tip = following;
        }
        return tip;
    }
}
