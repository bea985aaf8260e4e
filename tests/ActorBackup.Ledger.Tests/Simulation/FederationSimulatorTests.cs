using System.Text.Json;
using System.Text;

namespace ActorBackup.Ledger.Tests;

public class FederationSimulatorTests
{
    private static SimulationOptions Options(string seed = "seed-1", FaultRates? faults = null, Func<long>? clock = null, int transactions = 4) =>
        new(seed, Nodes: 4, TransactionsPerBlock: transactions, Users: 5, Faults: faults, Clock: clock ?? SimulationClocks.Virtual());

    private static List<SimulatedRound> Run(SimulationOptions options, int rounds)
    {
        using var simulator = new FederationSimulator(options);
        return simulator.Generate(rounds).ToList();
    }

    private static IEnumerable<SimulatedDocument> Documents(IEnumerable<SimulatedRound> rounds) =>
        rounds.SelectMany(r => r.Votes.Prepend(r.Block));

    [Fact]
    public void Every_block_vote_and_transaction_of_a_fault_free_run_verifies_deeply()
    {
        using var simulator = new FederationSimulator(Options());
        var validator = new LedgerValidator(simulator.Federation, new LedgerValidatorOptions(Deep: true));
        var rounds = simulator.Generate(6).ToList();
        foreach (var document in Documents(rounds))
        {
            var result = validator.Validate(document.Json, document.Kind);
            Assert.True(result.IsValid, $"{document.Kind} {document.BlockId}: {result}");
        }
        Assert.Equal(5 * 4, rounds.Sum(r => r.Votes.Count));
        var transfers = rounds.SelectMany(r => LedgerReader.ReadBlock(r.Block.Json)!.TransactionIds).Count();
        Assert.Equal(1 + 5 * 4, transfers);
        Assert.True(LedgerReader.ReadBlock(rounds[0].Block.Json)!.IsGenesis);
    }

    [Fact]
    public void The_same_seed_and_virtual_clock_give_the_same_bytes_and_another_seed_does_not()
    {
        var first = Documents(Run(Options(), 5)).Select(d => d.Json).ToList();
        var second = Documents(Run(Options(), 5)).Select(d => d.Json).ToList();
        Assert.Equal(first, second);
        var other = Documents(Run(Options("seed-2"), 5)).Select(d => d.Json).ToList();
        Assert.NotEqual(first[0], other[0]);
    }

    [Fact]
    public void Each_node_chains_its_votes_from_genesis_through_every_block()
    {
        var rounds = Run(Options(), 5);
        var genesis = rounds[0].Block.BlockId;
        var byNode = rounds.SelectMany(r => r.Votes).Select(v => LedgerReader.ReadVote(v.Json)!).GroupBy(v => v.NodePubkey);
        foreach (var votes in byNode)
        {
            var previous = genesis;
            foreach (var vote in votes)
            {
                Assert.Equal(previous, vote.PreviousBlock);
                previous = vote.VotingForBlock;
            }
            Assert.Equal(rounds[^1].Block.BlockId, previous);
        }
        using var audit = new LedgerAudit();
        foreach (var document in Documents(rounds))
            audit.Observe(LedgerReader.TryRead(document.Json, document.Kind, out var r, out _) ? r! : throw new InvalidOperationException());
        Assert.Empty(audit.Complete().Findings);
    }

    [Fact]
    public void A_resumed_simulation_equals_an_uninterrupted_one()
    {
        var uninterrupted = Documents(Run(Options(), 7)).Select(d => Encoding.UTF8.GetString(d.Json)).ToList();

        var clock = SimulationClocks.Virtual();
        SimulationResume? state = null;
        List<SimulatedRound> firstPart;
        using (var simulator = new FederationSimulator(Options(clock: clock)))
            firstPart = simulator.Generate(3, resumeAfter: s => state = s).ToList();
        Assert.Equal(3, state!.BlocksWritten);
        Assert.Equal(firstPart[^1].Block.BlockId, state.LastBlockId);

        List<SimulatedRound> secondPart;
        using (var simulator = new FederationSimulator(Options(clock: clock)))
            secondPart = simulator.Generate(4, state).ToList();
        Assert.Equal(3, secondPart[0].Number);
        var resumed = Documents(firstPart.Concat(secondPart)).Select(d => Encoding.UTF8.GetString(d.Json)).ToList();
        Assert.Equal(uninterrupted, resumed);
    }

    [Fact]
    public void Faults_are_deterministic_and_each_is_what_validation_and_audit_report()
    {
        var faults = new FaultRates(InvalidVotes: 0.2, MissingVotes: 0.1, ForgedSignatures: 0.1, MalformedDocuments: 0.1);
        var rounds = Run(Options(faults: faults), 30);
        Assert.Equal(Documents(rounds).Select(d => d.Fault), Documents(Run(Options(faults: faults), 30)).Select(d => d.Fault));

        using var simulator = new FederationSimulator(Options(faults: faults));
        var validator = new LedgerValidator(simulator.Federation);
        var seen = new HashSet<SimulatedFault>();
        foreach (var document in Documents(rounds))
        {
            seen.Add(document.Fault);
            var result = validator.Validate(document.Json, document.Kind);
            switch (document.Fault)
            {
                case SimulatedFault.None:
                    Assert.True(result.IsValid, result.ToString());
                    break;
                case SimulatedFault.InvalidVote:
                    Assert.True(result.IsValid, result.ToString());
                    Assert.False(LedgerReader.ReadVote(document.Json)!.IsBlockValid);
                    break;
                case SimulatedFault.ForgedSignature:
                    Assert.Equal(InvalidReason.SignatureMismatch, result.Reason);
                    break;
                case SimulatedFault.Malformed:
                    Assert.Contains(result.Reason, new[] { InvalidReason.NotJson, InvalidReason.MissingField, InvalidReason.WrongFieldType });
                    break;
            }
        }
        Assert.Equal(Enum.GetValues<SimulatedFault>().ToHashSet(), seen);

    }

    [Fact]
    public void Lost_votes_are_what_the_audit_reports_missing_once_the_voter_has_voted_again()
    {
        var rounds = Run(Options(faults: new FaultRates(MissingVotes: 0.15)), 30);
        using var audit = new LedgerAudit(new LedgerAuditOptions(SkipGraceSeconds: 0));
        foreach (var document in Documents(rounds))
        {
            Assert.True(LedgerReader.TryRead(document.Json, document.Kind, out var record, out var failure), failure.ToString());
            audit.Observe(record!);
        }
        // A lost vote is provable only once the same node has a later vote.
        var expected = rounds
            .SelectMany(r => r.LostVoters.Select(voter => (Voter: voter, Round: r)))
            .Where(lost => rounds.Any(later => later.Number > lost.Round.Number && later.Votes.Any(v => v.Signer == lost.Voter)))
            .Select(lost => (lost.Voter, lost.Round.Block.BlockId))
            .ToHashSet();
        var findings = audit.Complete().Findings;
        Assert.All(findings, f => Assert.Equal(AuditFindingKind.MissingVote, f.Kind));
        Assert.NotEmpty(expected);
        Assert.Equal(expected.Order(), findings.Select(f => (f.Voter!, f.BlockId)).Order());
    }

    [Fact]
    public void A_node_without_a_vote_in_the_resume_state_chains_its_next_vote_from_genesis()
    {
        SimulationResume? state = null;
        using var simulator = new FederationSimulator(Options());
        simulator.Generate(2, resumeAfter: s => state = s).ToList();
        var forgetful = state! with { LastVotedBlock = new Dictionary<string, string>() };
        var next = simulator.Generate(1, forgetful).Single();
        Assert.All(next.Votes, v => Assert.Equal(state.GenesisBlockId, LedgerReader.ReadVote(v.Json)!.PreviousBlock));
    }

    [Fact]
    public void The_key_file_lists_every_node_and_reads_back_as_the_same_federation()
    {
        using var simulator = new FederationSimulator(Options());
        var text = simulator.KeyFile();
        Assert.True(FederationKeyFile.TryParse(Encoding.UTF8.GetBytes(text), out var federation, out var error), error);
        Assert.Equal(simulator.Federation.Members, federation!.Members);
        Assert.Equal(["node-0", "node-1", "node-2", "node-3"], federation.Members.Select(m => m.Name));
    }

    [Fact]
    public void A_block_putting_back_the_transactions_of_an_earlier_one_and_votes_on_it_are_signed_like_any_other()
    {
        using var simulator = new FederationSimulator(Options());
        var rounds = simulator.Generate(3).ToList();
        using var earlier = JsonDocument.Parse(rounds[2].Block.Json);
        var transactions = earlier.RootElement.GetProperty("block").GetProperty("transactions").EnumerateArray()
            .Select(tx => Encoding.UTF8.GetBytes(tx.GetRawText())).ToList();

        var block = simulator.Block(1, transactions);
        var vote = simulator.Vote(2, block.BlockId, rounds[2].Block.BlockId, valid: false);

        var validator = new LedgerValidator(simulator.Federation, new LedgerValidatorOptions(Deep: true));
        Assert.True(validator.Validate(block.Json, RecordKind.Block).IsValid);
        Assert.True(validator.Validate(vote.Json, RecordKind.Vote).IsValid);
        Assert.NotEqual(rounds[2].Block.BlockId, block.BlockId);
        Assert.Equal(LedgerReader.ReadBlock(rounds[2].Block.Json)!.TransactionIds, LedgerReader.ReadBlock(block.Json)!.TransactionIds);
        var read = LedgerReader.ReadVote(vote.Json)!;
        Assert.Equal((block.BlockId, rounds[2].Block.BlockId, false), (read.VotingForBlock, read.PreviousBlock, read.IsBlockValid));
    }
}
