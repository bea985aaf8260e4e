namespace ActorBackup.Ledger.Tests;

public class LedgerAuditTests
{
    private const string A = "voter-a", B = "voter-b", C = "voter-c", D = "voter-d";
    private static readonly string[] Federation = [A, B, C];
    private static readonly string G = Id('0'), B1 = Id('1'), B2 = Id('2'), B3 = Id('3'), B4 = Id('4');

    private static string Id(char c) => new(c, 64);

    private static Block Block(string id, long timestamp, bool genesis = false, string[]? voters = null) =>
        new(id, timestamp, A, voters ?? Federation, ["tx"], genesis, "sig", ReadOnlyMemory<byte>.Empty);

    private static Vote Vote(string voter, string previous, string votingFor, long timestamp, string? id = null) =>
        new(id ?? $"vote-{voter}-{votingFor[..1]}-{previous[..1]}", voter, "sig", votingFor, previous, true, null, timestamp, ReadOnlyMemory<byte>.Empty);

    /// <summary>Genesis and three blocks, every voter voting on every block in order.</summary>
    private static List<LedgerRecord> CleanLedger()
    {
        var records = new List<LedgerRecord> { Block(G, 100, genesis: true) };
        var previous = G;
        var t = 110L;
        foreach (var block in new[] { B1, B2, B3 })
        {
            records.Add(Block(block, t));
            records.AddRange(Federation.Select(v => Vote(v, previous, block, t + 1)));
            previous = block;
            t += 10;
        }
        return records;
    }

    private static AuditReport Audit(IEnumerable<LedgerRecord> records, LedgerAuditOptions? options = null)
    {
        var audit = new LedgerAudit(options);
        foreach (var record in records)
            audit.Observe(record);
        return audit.Complete();
    }

    [Fact]
    public void A_complete_ledger_has_no_findings_and_each_voter_ends_at_the_last_block()
    {
        var report = Audit(CleanLedger());
        Assert.Empty(report.Findings);
        Assert.True(report.IsComplete);
        Assert.Equal(G, report.GenesisBlockId);
        Assert.All(Federation, v => Assert.Equal(B3, report.VoterTips[v]));
        Assert.Equal((4, 9), (report.BlocksSeen, report.VotesSeen));
    }

    [Fact]
    public void Records_arriving_out_of_order_are_still_complete()
    {
        var records = CleanLedger();
        records.Reverse();
        Assert.Empty(Audit(records).Findings);
    }

    [Fact]
    public void A_block_referenced_by_votes_but_absent_is_a_missing_block_and_its_votes_are_orphans()
    {
        var records = CleanLedger().Where(r => r is not Block { Id: var id } || id != B2).ToList();
        var report = Audit(records);
        var missing = Assert.Single(report.Findings, f => f.Kind == AuditFindingKind.MissingBlock);
        Assert.Equal(B2, missing.BlockId);
        var orphans = report.Findings.Where(f => f.Kind == AuditFindingKind.OrphanVote).ToList();
        Assert.Equal(Federation.Order(), orphans.Select(o => o.Voter!).Order());
        Assert.All(orphans, o => Assert.Equal(B2, o.BlockId));
        Assert.All(orphans, o => Assert.StartsWith("vote-", o.VoteId));
        Assert.Equal(4, report.Findings.Count);
    }

    [Fact]
    public void A_voter_whose_chain_passes_a_block_without_a_vote_for_it_has_a_missing_vote()
    {
        var records = CleanLedger().Where(r => r is not Vote { NodePubkey: B, VotingForBlock: var f } || f != B2).ToList();
        var finding = Assert.Single(Audit(records).Findings);
        Assert.Equal((AuditFindingKind.MissingVote, B2, B), (finding.Kind, finding.BlockId, finding.Voter));
    }

    [Fact]
    public void A_voter_that_skipped_a_block_and_kept_voting_long_after_has_a_missing_vote()
    {
        var records = CleanLedger();
        // C's chain goes G -> B1 -> B3: nothing breaks in the chain, but B2 never got C's vote.
        records.RemoveAll(r => r is Vote { NodePubkey: C } v && (v.VotingForBlock == B2 || v.VotingForBlock == B3));
        records.Add(Vote(C, B1, B3, 5000));
        var finding = Assert.Single(Audit(records, new LedgerAuditOptions(SkipGraceSeconds: 60)).Findings);
        Assert.Equal((AuditFindingKind.MissingVote, B2, C), (finding.Kind, finding.BlockId, finding.Voter));
        Assert.Empty(Audit(records, new LedgerAuditOptions(SkipGraceSeconds: 100_000)).Findings);
    }

    [Fact]
    public void Two_votes_by_one_voter_from_the_same_previous_block_are_a_fork()
    {
        var records = CleanLedger();
        records.Add(Block(B4, 200));
        records.Add(Vote(A, B2, B4, 201, "forking-vote"));
        records.AddRange(new[] { B, C }.Select(v => Vote(v, B3, B4, 202)));
        var finding = Assert.Single(Audit(records).Findings);
        Assert.Equal((AuditFindingKind.Fork, B2, A, "forking-vote"), (finding.Kind, finding.BlockId, finding.Voter, finding.VoteId));
    }

    [Fact]
    public void Two_votes_by_one_voter_for_the_same_block_are_a_duplicate()
    {
        var records = CleanLedger();
        records.Add(Vote(A, G, B1, 500, "second"));
        var finding = Assert.Single(Audit(records).Findings);
        Assert.Equal((AuditFindingKind.DuplicateVote, B1, A, "second"), (finding.Kind, finding.BlockId, finding.Voter, finding.VoteId));
    }

    [Fact]
    public void A_vote_by_a_node_not_listed_in_the_block_is_unexpected_whichever_arrives_first()
    {
        var voteFirst = new List<LedgerRecord> { Block(G, 100, genesis: true), Vote(D, G, B1, 111) };
        voteFirst.Add(Block(B1, 110));
        voteFirst.AddRange(Federation.Select(v => Vote(v, G, B1, 112)));
        var blockFirst = new List<LedgerRecord> { Block(G, 100, genesis: true), Block(B1, 110), Vote(D, G, B1, 111) };
        blockFirst.AddRange(Federation.Select(v => Vote(v, G, B1, 112)));
        foreach (var records in new[] { voteFirst, blockFirst })
        {
            var finding = Assert.Single(Audit(records).Findings);
            Assert.Equal((AuditFindingKind.UnexpectedVoter, B1, D), (finding.Kind, finding.BlockId, finding.Voter));
        }
    }

    [Fact]
    public void Memory_stays_flat_over_a_long_ledger()
    {
        var audit = new LedgerAudit(new LedgerAuditOptions(RecentWindow: 256));
        audit.Observe(Block(G, 0, genesis: true));
        var previous = G;
        var maxOpen = 0;
        for (var n = 1; n <= 20_000; n++)
        {
            var id = n.ToString("x64");
            audit.Observe(Block(id, n));
            foreach (var voter in Federation)
                audit.Observe(Vote(voter, previous, id, n));
            maxOpen = Math.Max(maxOpen, audit.OpenItems);
            previous = id;
        }
        Assert.Equal(0, audit.OpenItems);
        Assert.True(maxOpen <= 1, $"open items peaked at {maxOpen}");
        Assert.Empty(audit.Complete().Findings);
    }

    [Fact]
    public async Task The_audit_consumes_an_async_stream()
    {
        static async IAsyncEnumerable<LedgerRecord> Stream(IEnumerable<LedgerRecord> records)
        {
            foreach (var record in records)
            {
                await Task.Yield();
                yield return record;
            }
        }
        var records = CleanLedger().Where(r => r is not Block { Id: var id } || id != B1);
        var report = await LedgerAudit.RunAsync(Stream(records));
        Assert.Contains(report.Findings, f => f.Kind == AuditFindingKind.MissingBlock && f.BlockId == B1);
    }
}
