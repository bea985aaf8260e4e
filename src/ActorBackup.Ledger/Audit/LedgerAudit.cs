using ActorBackup.Ledger.Documents;

namespace ActorBackup.Ledger.Audit;

/// <summary>
/// Completeness audit over a stream of blocks and votes (reference §5.4), in roughly capture order. Memory is
/// bounded by the number of voters, the recent windows and the open gaps: a block is forgotten once every voter
/// has voted on it, a reference once the referenced block or vote is seen. Not thread-safe: feed it from one reader.
/// </summary>
public sealed class LedgerAudit(LedgerAuditOptions? options = null)
{
    private enum Role { VotingFor, Previous }

    private sealed record Reference(string Voter, string? VoteId, Role Role);

    private sealed record OpenBlock(long Timestamp, HashSet<string> Voters, HashSet<string> Pending);

    private sealed class VoterState(int window)
    {
        public RecentSet VotedFor { get; } = new(window);
        public RecentSet VotedFrom { get; } = new(window);
        public Dictionary<string, string?> AwaitingVote { get; } = new(StringComparer.Ordinal);
        public string Tip { get; set; } = "";
        public long LastTimestamp { get; set; }
    }

    private readonly LedgerAuditOptions settings = options ?? LedgerAuditOptions.Default;
    private readonly Dictionary<string, VoterState> voters = new(StringComparer.Ordinal);
    private readonly Dictionary<string, OpenBlock> openBlocks = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<Reference>> awaitedBlocks = new(StringComparer.Ordinal);
    private readonly List<AuditFinding> findings = [];
    private RecentSet? recentBlocks;
    private string? genesis;
    private long blocksSeen;
    private long votesSeen;

    private RecentSet RecentBlocks => recentBlocks ??= new RecentSet(settings.RecentWindow);

    /// <summary>Blocks and references still waiting for something: what the audit's memory grows with.</summary>
    public int OpenItems => openBlocks.Count + awaitedBlocks.Count + voters.Values.Sum(v => v.AwaitingVote.Count);

    public static async Task<AuditReport> RunAsync(IAsyncEnumerable<LedgerRecord> records, LedgerAuditOptions? options = null, CancellationToken cancellationToken = default)
    {
        var audit = new LedgerAudit(options);
        await foreach (var record in records.WithCancellation(cancellationToken))
            audit.Observe(record);
        return audit.Complete();
    }

    public void Observe(LedgerRecord record)
    {
        switch (record)
        {
            case Block block: Observe(block); break;
            case Vote vote: Observe(vote); break;
        }
    }

    public void Observe(Block block)
    {
        blocksSeen++;
        if (IsKnownBlock(block.Id))
            return;
        RecentBlocks.Add(block.Id);
        var votedAlready = new HashSet<string>(StringComparer.Ordinal);
        if (awaitedBlocks.Remove(block.Id, out var references))
        {
            foreach (var reference in references.Where(r => r.Role == Role.VotingFor))
            {
                votedAlready.Add(reference.Voter);
                if (!block.Voters.Contains(reference.Voter))
                    Report(AuditFindingKind.UnexpectedVoter, block.Id, reference.Voter, reference.VoteId, "the voter is not among the block's voters");
            }
        }
        if (block.IsGenesis)
        {
            genesis = block.Id;
            foreach (var voter in voters.Values)
                voter.AwaitingVote.Remove(block.Id);
            return;
        }
        var listed = block.Voters.ToHashSet(StringComparer.Ordinal);
        var pending = listed.Where(v => !votedAlready.Contains(v)).ToHashSet(StringComparer.Ordinal);
        if (pending.Count > 0)
            openBlocks[block.Id] = new OpenBlock(block.Timestamp, listed, pending);
    }

    public void Observe(Vote vote)
    {
        votesSeen++;
        if (!voters.TryGetValue(vote.NodePubkey, out var voter))
            voters[vote.NodePubkey] = voter = new VoterState(Math.Max(16, settings.RecentWindow / 16));
        voter.LastTimestamp = Math.Max(voter.LastTimestamp, vote.Timestamp);
        voter.Tip = vote.VotingForBlock;

        if (voter.VotedFor.Contains(vote.VotingForBlock))
        {
            Report(AuditFindingKind.DuplicateVote, vote.VotingForBlock, vote.NodePubkey, vote.Id, "the voter voted on this block more than once");
            return;
        }
        if (voter.VotedFrom.Contains(vote.PreviousBlock))
            Report(AuditFindingKind.Fork, vote.PreviousBlock, vote.NodePubkey, vote.Id,
                $"the voter's chain branches here: another vote also follows this block (this one votes for {vote.VotingForBlock})");
        voter.VotedFor.Add(vote.VotingForBlock);
        voter.VotedFrom.Add(vote.PreviousBlock);
        voter.AwaitingVote.Remove(vote.VotingForBlock);

        // The previous block needs checking only when this voter's own earlier vote does not vouch for it.
        if (vote.PreviousBlock != genesis && !voter.VotedFor.Contains(vote.PreviousBlock))
        {
            voter.AwaitingVote.TryAdd(vote.PreviousBlock, vote.Id);
            if (!IsKnownBlock(vote.PreviousBlock))
                Await(vote.PreviousBlock, new Reference(vote.NodePubkey, vote.Id, Role.Previous));
        }

        if (openBlocks.TryGetValue(vote.VotingForBlock, out var open))
        {
            if (!open.Voters.Contains(vote.NodePubkey))
                Report(AuditFindingKind.UnexpectedVoter, vote.VotingForBlock, vote.NodePubkey, vote.Id, "the voter is not among the block's voters");
            open.Pending.Remove(vote.NodePubkey);
            if (open.Pending.Count == 0)
                openBlocks.Remove(vote.VotingForBlock);
        }
        else if (!IsKnownBlock(vote.VotingForBlock))
        {
            Await(vote.VotingForBlock, new Reference(vote.NodePubkey, vote.Id, Role.VotingFor));
        }
    }

    /// <summary>Reports everything still open. The audit can go on observing afterwards.</summary>
    public AuditReport Complete()
    {
        var result = new List<AuditFinding>(findings);
        var reported = new HashSet<(string, string)>();
        foreach (var (blockId, references) in awaitedBlocks)
        {
            result.Add(new AuditFinding(AuditFindingKind.MissingBlock, blockId, null, null,
                $"referenced by {references.Count} vote(s) but never seen"));
            foreach (var reference in references.Where(r => r.Role == Role.VotingFor))
                result.Add(new AuditFinding(AuditFindingKind.OrphanVote, blockId, reference.Voter, reference.VoteId, "a vote for a block that was never seen"));
        }
        foreach (var (key, voter) in voters)
        {
            foreach (var (blockId, voteId) in voter.AwaitingVote)
            {
                if (blockId == genesis)
                    continue;
                reported.Add((key, blockId));
                result.Add(new AuditFinding(AuditFindingKind.MissingVote, blockId, key, voteId,
                    "the voter's chain continues from this block but its vote for it is missing"));
            }
        }
        foreach (var (blockId, open) in openBlocks)
        {
            foreach (var pending in open.Pending)
            {
                if (voters.TryGetValue(pending, out var voter) && voter.LastTimestamp > open.Timestamp + settings.SkipGraceSeconds
                    && reported.Add((pending, blockId)))
                {
                    result.Add(new AuditFinding(AuditFindingKind.MissingVote, blockId, pending, null,
                        "the voter kept voting after this block but has no vote for it"));
                }
            }
        }
        result.Sort((a, b) => (a.Kind, a.BlockId, a.Voter ?? "").CompareTo((b.Kind, b.BlockId, b.Voter ?? "")));
        var tips = voters.ToDictionary(v => v.Key, v => v.Value.Tip, StringComparer.Ordinal);
        return new AuditReport(result, blocksSeen, votesSeen, genesis, tips);
    }

    private bool IsKnownBlock(string id) => id == genesis || openBlocks.ContainsKey(id) || RecentBlocks.Contains(id);

    private void Await(string blockId, Reference reference)
    {
        if (!awaitedBlocks.TryGetValue(blockId, out var list))
            awaitedBlocks[blockId] = list = [];
        list.Add(reference);
    }

    private void Report(AuditFindingKind kind, string blockId, string? voter, string? voteId, string message) =>
        findings.Add(new AuditFinding(kind, blockId, voter, voteId, message));
}
