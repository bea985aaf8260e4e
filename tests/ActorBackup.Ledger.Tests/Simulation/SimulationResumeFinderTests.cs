using System.Text.Json;

namespace ActorBackup.Ledger.Tests;

public class SimulationResumeFinderTests
{
    private static SimulationOptions Options(FaultRates? faults = null) =>
        new("resume-seed", Nodes: 4, TransactionsPerBlock: 3, Users: 5, Faults: faults, Clock: SimulationClocks.Virtual(), MalformedAsJson: true);

    private static StoredBlockMark BlockMark(SimulatedRound round)
    {
        var block = LedgerReader.ReadBlock(round.Block.Json)!;
        using var document = JsonDocument.Parse(round.Block.Json);
        var metadata = document.RootElement.GetProperty("block").GetProperty("transactions")[0].GetProperty("metadata");
        var number = metadata.TryGetProperty(FederationSimulator.BlockNumberKey, out var n) ? n.GetInt64() : 0;
        return new StoredBlockMark(block.Id, number);
    }

    private static StoredVoteMark VoteMark(SimulatedDocument document)
    {
        var vote = LedgerReader.ReadVote(document.Json)!;
        return new StoredVoteMark(vote.NodePubkey, vote.PreviousBlock, vote.VotingForBlock, vote.Timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void The_state_found_in_stored_documents_equals_the_state_the_simulator_reported()
    {
        using var simulator = new FederationSimulator(Options());
        SimulationResume? reported = null;
        var rounds = simulator.Generate(6, resumeAfter: s => reported = s).ToList();

        var found = SimulationResumeFinder.Find(rounds.Select(BlockMark), rounds.SelectMany(r => r.Votes).Select(VoteMark))!;

        Assert.Equal(reported!.BlocksWritten, found.BlocksWritten);
        Assert.Equal(reported.LastBlockId, found.LastBlockId);
        Assert.Equal(reported.GenesisBlockId, found.GenesisBlockId);
        Assert.Equal(reported.LastVotedBlock.OrderBy(p => p.Key), found.LastVotedBlock.OrderBy(p => p.Key));
    }

    [Fact]
    public void Nothing_stored_means_start_from_genesis_and_blocks_without_genesis_are_refused()
    {
        Assert.Null(SimulationResumeFinder.Find([], []));
        var error = Assert.Throws<InvalidDataException>(() => SimulationResumeFinder.Find([new StoredBlockMark("b5", 5)], []));
        Assert.Equal("the stored blocks have no genesis block", error.Message);
    }

    [Fact]
    public void Votes_sharing_the_newest_second_are_followed_to_the_end_of_the_chain()
    {
        StoredVoteMark[] votes =
        [
            new("n", "g", "b1", "1500000000"),
            new("n", "b2", "b3", "1500000001"),
            new("n", "b1", "b2", "1500000001"),
            new("n", "b3", "b4", "1500000001"),
        ];
        Assert.Equal("b4", SimulationResumeFinder.LastVotedBlock(votes));
    }

    [Fact]
    public void A_vote_whose_timestamp_is_not_a_string_ranks_below_every_string_as_in_RethinkDB()
    {
        StoredVoteMark[] votes = [new("n", "g", "b1", "1500000000"), new("n", "b1", "b2", null)];
        Assert.Equal("b1", SimulationResumeFinder.LastVotedBlock(votes));
    }

    [Fact]
    public void Votes_chained_in_a_cycle_are_refused()
    {
        StoredVoteMark[] votes = [new("n", "a", "b", "1500000000"), new("n", "b", "a", "1500000000")];
        Assert.Throws<InvalidDataException>(() => SimulationResumeFinder.LastVotedBlock(votes));
    }

    [Fact]
    public void A_node_whose_last_vote_was_lost_resumes_from_its_last_stored_vote()
    {
        using var simulator = new FederationSimulator(Options(new FaultRates(MissingVotes: 0.3)));
        var rounds = simulator.Generate(12).ToList();
        var found = SimulationResumeFinder.Find(rounds.Select(BlockMark), rounds.SelectMany(r => r.Votes).Select(VoteMark))!;
        foreach (var (node, block) in found.LastVotedBlock)
        {
            var lastStored = rounds.Last(r => r.Votes.Any(v => v.Signer == node)).Block.BlockId;
            Assert.Equal(lastStored, block);
        }
        Assert.Contains(rounds, r => r.LostVoters.Count > 0);
    }

    [Fact]
    public void Malformed_documents_made_for_a_database_are_all_still_json()
    {
        using var simulator = new FederationSimulator(Options(new FaultRates(MalformedDocuments: 0.5)));
        var malformed = simulator.Generate(20).SelectMany(r => r.Votes.Prepend(r.Block)).Where(d => d.Fault == SimulatedFault.Malformed).ToList();
        Assert.NotEmpty(malformed);
        Assert.All(malformed, d => JsonDocument.Parse(d.Json).Dispose());
    }
}
