using System.Text.Json;

namespace ActorBackup.Ledger.Tests;

public class BlockElectionTests
{
    private static readonly FederationKeys Federation = FederationKeys.FromPublicKeys(Fixtures.Node1, Fixtures.Node2, Fixtures.Node3);

    private static Block ReadBlock(string file) => LedgerReader.ReadBlock(Fixtures.Bytes(file))!;

    private static List<Vote> Votes(string file) => Fixtures.ArrayItems(file).Select(v => LedgerReader.ReadVote(v)!).ToList();

    [Fact]
    public void The_0_10_rules_reproduce_the_elections_computed_by_bigchaindb_0_10_3()
    {
        var expected = Fixtures.Element("gen_v0.10.3_elections.json");
        var votes = Votes("gen_v0.10.3_votes.json");
        foreach (var file in new[] { "gen_v0.10.3_block_create.json", "gen_v0.10.3_block_transfer.json" })
        {
            var block = ReadBlock(file);
            var result = BlockElection.Decide(block, votes, Federation, ElectionRules.V010);
            var outcome = expected.GetProperty(block.Id);
            Assert.Equal(outcome.GetProperty("status").GetString(), result.Status.ToString().ToLowerInvariant());
            Assert.Equal(outcome.GetProperty("counts").GetProperty("n_valid").GetInt32(), result.ValidVotes);
            Assert.Equal(outcome.GetProperty("counts").GetProperty("n_invalid").GetInt32(), result.InvalidVotes);
            Assert.Equal(outcome.GetProperty("previous_block").GetString(), result.PreviousBlock);
        }
    }

    [Fact]
    public void A_block_with_no_votes_is_undecided_under_every_rule_set()
    {
        var block = ReadBlock("gen_v0.10.3_block_create.json");
        foreach (var rules in Enum.GetValues<ElectionRules>())
            Assert.Equal(BlockStatus.Undecided, BlockElection.Decide(block, [], Federation, rules).Status);
    }

    [Fact]
    public void Two_no_votes_out_of_three_make_a_block_invalid()
    {
        var votes = Votes("gen_v0.8.2_sha3_votes.json");
        var block = ReadBlock("gen_v0.8.2_sha3_block_transfer.json");
        var forBlock = votes.Where(v => v.VotingForBlock == block.Id).ToList();
        // The fixture already has one no vote; turn a second vote into a bad-signature vote, which counts as invalid before 0.10.
        var yesVote = forBlock.First(v => v.IsBlockValid);
        var forged = yesVote with { Signature = forBlock.First(v => v != yesVote).Signature };
        var tampered = forBlock.Where(v => v != yesVote).Append(forged).ToList();
        Assert.Equal(BlockStatus.Invalid, BlockElection.Decide(block, tampered, Federation, ElectionRules.V06ToV09).Status);
        // 0.10 ignores the badly signed vote: 1 yes, 1 no among 3 voters is undecided.
        var result = BlockElection.Decide(block, tampered, Federation, ElectionRules.V010);
        Assert.Equal(BlockStatus.Undecided, result.Status);
    }

    [Fact]
    public void Yes_votes_that_disagree_on_previous_block_do_not_make_a_block_valid_from_0_6()
    {
        var block = ReadBlock("gen_v0.10.3_block_create.json");
        var votes = new[]
        {
            FixtureSigner.SignVote(Fixtures.Node1, block.Id, new string('a', 64), true, 1493000100),
            FixtureSigner.SignVote(Fixtures.Node2, block.Id, new string('b', 64), true, 1493000101),
            FixtureSigner.SignVote(Fixtures.Node3, block.Id, new string('c', 64), true, 1493000102),
        };
        Assert.Equal(BlockStatus.Valid, BlockElection.Decide(block, votes, Federation, ElectionRules.V05).Status);
        Assert.Equal(BlockStatus.Invalid, BlockElection.Decide(block, votes, Federation, ElectionRules.V06ToV09).Status);
        var v010 = BlockElection.Decide(block, votes, Federation, ElectionRules.V010);
        Assert.Equal((BlockStatus.Invalid, 1, 2), (v010.Status, v010.ValidVotes, v010.InvalidVotes));
    }

    [Fact]
    public void A_tie_in_an_even_federation_is_invalid_under_0_10()
    {
        var block = ReadBlock("gen_v0.10.3_block_create.json") with { Voters = [Fixtures.Node1, Fixtures.Node2] };
        var votes = new[]
        {
            FixtureSigner.SignVote(Fixtures.Node1, block.Id, new string('a', 64), true, 1493000100),
            FixtureSigner.SignVote(Fixtures.Node2, block.Id, new string('a', 64), false, 1493000101),
        };
        Assert.Equal(BlockStatus.Invalid, BlockElection.Decide(block, votes, Federation, ElectionRules.V010).Status);
    }

    [Fact]
    public void Duplicate_votes_from_one_node_leave_the_block_undecided_and_name_the_node()
    {
        var block = ReadBlock("gen_v0.10.3_block_create.json");
        var votes = Votes("gen_v0.10.3_votes.json").Where(v => v.VotingForBlock == block.Id).ToList();
        var doubled = votes.Append(votes[0]).ToList();
        var result = BlockElection.Decide(block, doubled, Federation, ElectionRules.V010);
        Assert.Equal(BlockStatus.Undecided, result.Status);
        Assert.Equal([votes[0].NodePubkey], result.DuplicateVoters);
        Assert.Equal([votes[0].NodePubkey], BlockElection.Decide(block, doubled, Federation, ElectionRules.V06ToV09).DuplicateVoters);
    }

    [Fact]
    public void Under_0_10_votes_from_nodes_outside_the_federation_are_ignored()
    {
        var block = ReadBlock("gen_v0.10.3_block_create.json");
        var votes = Votes("gen_v0.10.3_votes.json");
        var smaller = FederationKeys.FromPublicKeys(Fixtures.Node1);
        var result = BlockElection.Decide(block, votes, smaller, ElectionRules.V010);
        Assert.Equal(1, result.Voters);
        Assert.Equal(1, result.ValidVotes);
        Assert.Equal(BlockStatus.Valid, result.Status);
    }
}
