namespace ActorBackup.Ledger.Audit;

/// <summary>The checks on everything known about one block id: the block, the votes for it, the votes that follow it.</summary>
internal static class AuditGroup
{
    /// <param name="Genesis">The genesis block's id, if it was seen: nobody votes on it, every first vote follows it.</param>
    /// <param name="VoterKeys">Voter numbers to public keys.</param>
    /// <param name="NewestVote">Per voter number, the timestamp of its newest vote.</param>
    public sealed record Context(string? Genesis, IReadOnlyList<string> VoterKeys, IReadOnlyDictionary<int, long> NewestVote, long SkipGraceSeconds);

    /// <param name="entries">Every entry of one block id, in input order.</param>
    public static void Check(IReadOnlyList<AuditEntry> entries, Context context, List<AuditFinding> findings)
    {
        var blockId = entries[0].BlockId;
        var blocks = entries.Where(e => e.Kind == AuditEntryKind.Block).Take(1).ToList();
        AuditEntry? block = blocks.Count > 0 ? blocks[0] : null;
        var votes = entries.Where(e => e.Kind == AuditEntryKind.VoteFor).ToList();
        var follows = entries.Where(e => e.Kind == AuditEntryKind.PreviousOf).ToList();
        var isGenesis = block?.IsGenesis == true || blockId == context.Genesis;
        string Key(int voter) => context.VoterKeys[voter];
        void Report(AuditFindingKind kind, int? voter, string? voteId, string message) =>
            findings.Add(new AuditFinding(kind, blockId, voter is { } v ? Key(v) : null, voteId, message));

        if (block is null)
        {
            var referencing = entries.Select(e => e.Sequence).Distinct().Count();
            Report(AuditFindingKind.MissingBlock, null, null, votes.Count > 0 ? $"referenced by {referencing} vote(s) but never seen"
                : context.Genesis is not null ? $"named as previous_block by {referencing} vote(s) but never seen, nor any vote on it"
                : $"named as previous_block by {referencing} vote(s) but never seen: the genesis block, or a block whose votes are all missing too");
        }

        // A voter's first vote for the block counts; any later one is a duplicate, reported and otherwise ignored.
        var firstVotes = new Dictionary<int, AuditEntry>();
        foreach (var vote in votes)
        {
            if (!firstVotes.TryAdd(vote.Voter, vote))
                Report(AuditFindingKind.DuplicateVote, vote.Voter, vote.VoteId, "the voter voted on this block more than once");
        }
        var listed = block?.Voters?.ToHashSet() ?? [];
        foreach (var vote in firstVotes.Values)
        {
            if (block is null)
                Report(AuditFindingKind.OrphanVote, vote.Voter, vote.VoteId, "a vote for a block that was never seen");
            else if (!listed.Contains(vote.Voter))
                Report(AuditFindingKind.UnexpectedVoter, vote.Voter, vote.VoteId, "the voter is not among the block's voters");
        }

        var missingVote = new HashSet<int>();
        foreach (var byVoter in follows.GroupBy(f => f.Voter))
        {
            // Two votes following this block towards different blocks branch the chain; towards the same block they are a duplicate vote.
            var successors = new HashSet<string>(StringComparer.Ordinal);
            foreach (var follow in byVoter)
            {
                if (successors.Add(follow.VotingFor!) && successors.Count > 1)
                    Report(AuditFindingKind.Fork, byVoter.Key, follow.VoteId,
                        $"the voter's chain branches here: another vote also follows this block (this one votes for {follow.VotingFor})");
            }
            // The chain continuing from a block proves the voter voted on it, unless it is genesis (never voted on):
            // an unseen block nobody voted on may be genesis, unless genesis was seen elsewhere.
            if (!isGenesis && !firstVotes.ContainsKey(byVoter.Key) && (block is not null || votes.Count > 0 || context.Genesis is not null))
            {
                missingVote.Add(byVoter.Key);
                Report(AuditFindingKind.MissingVote, byVoter.Key, byVoter.First().VoteId, "the voter's chain continues from this block but its vote for it is missing");
            }
        }

        if (block is not { } seen || isGenesis)
            return;
        foreach (var voter in listed.Where(v => !firstVotes.ContainsKey(v) && !missingVote.Contains(v)))
        {
            if (context.NewestVote.TryGetValue(voter, out var newest) && newest > seen.Timestamp + context.SkipGraceSeconds)
                Report(AuditFindingKind.MissingVote, voter, null, "the voter kept voting after this block but has no vote for it");
        }
    }
}
