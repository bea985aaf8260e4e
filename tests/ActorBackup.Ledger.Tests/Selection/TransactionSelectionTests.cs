using System.Text.Json;
using ActorBackup.Ledger.Selection;

namespace ActorBackup.Ledger.Tests.Selection;

public class TransactionSelectionTests
{
    private const string Issuer = "4K9sWUMFwTgaDGPfdynrbxWqWS6sWmKbZoTjxLtVUibD";
    private const string Recipient = "3yfQPHeWAa1MxTX9Zf9176QqcpcnWcanVZZbaHb8B3h9";

    private static TransactionSelection Keys(params string[] keys) => new([], keys, []);

    private static TransactionSelection Assets(params string[] assets) => new([], [], assets);

    [Theory]
    [InlineData("gen_v0.6.0_keccak")]
    [InlineData("gen_v0.7.0_keccak")]
    [InlineData("gen_v0.8.0_keccak")]
    [InlineData("gen_v0.8.2_sha3")]
    [InlineData("gen_v0.10.3")]
    public void A_public_key_selects_the_transactions_whose_inputs_or_outputs_name_it_in_every_era(string era)
    {
        var create = Fixtures.Element($"{era}_tx_create.json");
        var transfer = Fixtures.Element($"{era}_tx_transfer.json");

        // The issuer owns the CREATE's output and signs the TRANSFER's input; the recipient is only in the TRANSFER's output.
        Assert.True(Keys(Issuer).Matches(create));
        Assert.True(Keys(Issuer).Matches(transfer));
        Assert.False(Keys(Recipient).Matches(create));
        Assert.True(Keys(Recipient).Matches(transfer));
        Assert.False(Keys(Fixtures.Node3).Matches(transfer));
    }

    [Fact]
    public void From_0_9_an_asset_is_its_CREATE_by_id_and_every_TRANSFER_naming_it()
    {
        var create = Fixtures.Element("gen_v0.10.3_tx_create.json");
        var transfer = Fixtures.Element("gen_v0.10.3_tx_transfer.json");
        var asset = create.GetProperty("id").GetString()!;

        Assert.Equal(asset, transfer.GetProperty("asset").GetProperty("id").GetString());
        Assert.True(Assets(asset).Matches(create));
        Assert.True(Assets(asset).Matches(transfer));
        Assert.False(Assets(transfer.GetProperty("id").GetString()!).Matches(create));
    }

    [Theory]
    [InlineData("gen_v0.7.0_keccak")]
    [InlineData("gen_v0.8.2_sha3")]
    public void In_0_7_and_0_8_an_asset_is_the_uuid_every_transaction_of_it_carries(string era)
    {
        var create = Fixtures.Element($"{era}_tx_create.json");
        var transfer = Fixtures.Element($"{era}_tx_transfer.json");
        var uuid = transfer.GetProperty("transaction").GetProperty("asset").GetProperty("id").GetString()!;

        Assert.True(Assets(uuid).Matches(create));
        Assert.True(Assets(uuid).Matches(transfer));
        Assert.False(Assets(create.GetProperty("id").GetString()!).Matches(create));
    }

    [Fact]
    public void Before_0_7_there_are_no_assets_to_select()
    {
        var create = Fixtures.Element("gen_v0.6.0_keccak_tx_create.json");
        Assert.Null(TransactionFacts.AssetId(create));
        Assert.False(Assets(create.GetProperty("id").GetString()!).Matches(create));
    }

    [Fact]
    public void A_block_yields_the_ids_of_the_transactions_selected_in_it_in_block_order()
    {
        var block = LedgerReader.ReadBlock(Fixtures.Bytes("gen_v0.10.3_block_transfer.json"))!;
        var tx = block.TransactionIds.Single();

        Assert.Equal([tx], new TransactionSelection([tx, "not-in-this-block"], [], []).Matching(block));
        Assert.Equal([tx], Keys(Recipient).Matching(block));
        Assert.Empty(Keys(Fixtures.Node1).Matching(block));
    }

    [Fact]
    public void Garbage_where_a_transaction_should_be_matches_nothing_and_throws_nothing()
    {
        using var document = JsonDocument.Parse("""[42, "x", {"id": 7}, {"transaction": {"fulfillments": 3, "data": {}}}, {"inputs": [{"owners_before": [1, null]}]}]""");
        var selection = new TransactionSelection(["7"], ["1"], ["x"]);

        Assert.All(document.RootElement.EnumerateArray(), tx => Assert.False(selection.Matches(tx)));
    }

    [Theory]
    [InlineData("gen_v0.10.3_block_create.json", ElectionRules.V010)]
    [InlineData("gen_v0.8.2_sha3_block_create.json", ElectionRules.V06ToV09)]
    [InlineData("gen_v0.7.0_keccak_block_transfer.json", ElectionRules.V06ToV09)]
    [InlineData("gen_v0.6.0_keccak_block_create.json", ElectionRules.V06ToV09)]
    public void A_block_tells_which_versions_election_rules_decide_it(string file, ElectionRules expected)
    {
        Assert.Equal(expected, ElectionEra.Of(LedgerReader.ReadBlock(Fixtures.Bytes(file))!));
    }
}
