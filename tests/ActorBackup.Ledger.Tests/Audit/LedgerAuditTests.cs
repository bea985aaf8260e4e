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
        using var audit = new LedgerAudit(options);
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
    public void Memory_stays_flat_over_a_long_ledger_even_when_every_block_comes_before_any_vote()
    {
        using var temp = new TempFolder();
        using var audit = new LedgerAudit(new LedgerAuditOptions(MemoryEntries: 256, TempDirectory: temp.Path));
        const int blocks = 20_000;
        static string IdOf(int n) => n == 0 ? G : n.ToString("x64");
        var maxHeld = 0;
        var maxRuns = 0;
        audit.Observe(Block(G, 0, genesis: true));
        for (var n = 1; n <= blocks; n++)
            audit.Observe(Block(IdOf(n), n));
        for (var n = 1; n <= blocks; n++)
        {
            foreach (var voter in Federation)
                audit.Observe(Vote(voter, IdOf(n - 1), IdOf(n), blocks + n));
            maxHeld = Math.Max(maxHeld, audit.HeldEntries);
            maxRuns = Math.Max(maxRuns, audit.SpilledRuns);
        }

        var report = audit.Complete();

        Assert.True(maxHeld <= 256, $"{maxHeld} entries held in memory");
        Assert.InRange(maxRuns, 1, 4 * ActorBackup.Ledger.Sorting.SpillingSorter<AuditEntry>.FanIn);
        Assert.Empty(report.Findings);
        Assert.Equal((blocks + 1, 3L * blocks), (report.BlocksSeen, report.VotesSeen));
        Assert.All(Federation, v => Assert.Equal(IdOf(blocks), report.VoterTips[v]));
    }

    [Fact]
    public void An_audit_spilled_to_disk_finds_exactly_what_one_held_in_memory_finds()
    {
        using var simulator = new FederationSimulator(new SimulationOptions("audit-spill", Nodes: 4, TransactionsPerBlock: 1,
            Faults: new FaultRates(InvalidVotes: 0.1, MissingVotes: 0.1), Clock: SimulationClocks.Virtual()));
        var records = simulator.Generate(120).SelectMany(r => r.Votes.Prepend(r.Block))
            .Select(d => LedgerReader.TryRead(d.Json, d.Kind, out var record, out _) ? record! : throw new InvalidDataException(d.BlockId))
            .ToList();
        // Votes first and blocks last, newest first: as far from capture order as it gets.
        records = [.. records.OfType<Vote>().Reverse<LedgerRecord>(), .. records.OfType<Block>().Reverse()];
        using var temp = new TempFolder();

        var inMemory = Audit(records);
        var spilled = Audit(records, new LedgerAuditOptions(MemoryEntries: 7, TempDirectory: temp.Path));

        Assert.Contains(inMemory.Findings, f => f.Kind == AuditFindingKind.MissingVote);
        Assert.Equal(inMemory.Findings, spilled.Findings);
        Assert.Equal(inMemory.VoterTips.OrderBy(t => t.Key), spilled.VoterTips.OrderBy(t => t.Key));
        Assert.Empty(Directory.EnumerateFileSystemEntries(temp.Path));
    }

    [Fact]
    public void A_block_only_named_as_previous_block_is_missing_without_claiming_anyone_skipped_its_vote()
    {
        // Without the genesis block, every voter's first vote follows a block nobody votes on: it may be genesis.
        var records = CleanLedger().Where(r => r is not Block { IsGenesis: true }).ToList();

        var finding = Assert.Single(Audit(records).Findings);

        Assert.Equal((AuditFindingKind.MissingBlock, G), (finding.Kind, finding.BlockId));
        Assert.Equal("named as previous_block by 3 vote(s) but never seen: the genesis block, or a block whose votes are all missing too", finding.Message);
    }

    [Fact]
    public void A_missing_block_whose_own_votes_are_missing_too_is_found_through_the_votes_that_follow_it()
    {
        var records = CleanLedger().Where(r => r is not Block { Id: var id } || id != B2).Where(r => r is not Vote { VotingForBlock: var f } || f != B2).ToList();

        var findings = Audit(records).Findings;

        var missing = Assert.Single(findings, f => f.Kind == AuditFindingKind.MissingBlock);
        Assert.Equal(B2, missing.BlockId);
        Assert.Equal("named as previous_block by 3 vote(s) but never seen, nor any vote on it", missing.Message);
        // Genesis was seen, so B2 is not genesis: every chain passing through it proves a vote on it that is missing.
        Assert.Equal(Federation.Order(), findings.Where(f => f.Kind == AuditFindingKind.MissingVote && f.BlockId == B2).Select(f => f.Voter!).Order());
        Assert.Equal(4, findings.Count);
    }

    [Fact]
    public void Temporary_runs_are_gone_once_the_audit_is_disposed()
    {
        using var temp = new TempFolder();
        var audit = new LedgerAudit(new LedgerAuditOptions(MemoryEntries: 4, TempDirectory: temp.Path));
        foreach (var record in CleanLedger())
            audit.Observe(record);
        Assert.NotEmpty(Directory.EnumerateFiles(temp.Path));
        Assert.Empty(audit.Complete().Findings);

        audit.Dispose();

        Assert.Empty(Directory.EnumerateFiles(temp.Path));
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
