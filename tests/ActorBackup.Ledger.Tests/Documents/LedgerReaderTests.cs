using System.Text;

namespace ActorBackup.Ledger.Tests;

public class LedgerReaderTests
{
    private static LedgerRecord Read(byte[] json, RecordKind kind)
    {
        Assert.True(LedgerReader.TryRead(json, kind, out var record, out var failure), failure.ToString());
        return record!;
    }

    [Fact]
    public void A_block_exposes_its_id_timestamp_signer_voters_and_transactions()
    {
        var block = (Block)Read(Fixtures.Bytes("gen_v0.10.3_block_transfer.json"), RecordKind.Block);
        Assert.Equal("389be5357800c5602b824479b662386db221a3650a13cb34e7a709f4aee35e24", block.Id);
        Assert.Equal(1493000014L, block.Timestamp);
        Assert.Equal(Fixtures.Node3, block.NodePubkey);
        Assert.Equal([Fixtures.Node2, Fixtures.Node1, Fixtures.Node3], block.Voters);
        Assert.Equal(["7eb94bc4114e221f9d9f24f5930c9bd3722b4e226ffc267e40fd3739a2a09670"], block.TransactionIds);
        Assert.False(block.IsGenesis);
        Assert.Equal(RecordKind.Block, block.Kind);
        Assert.Equal(Fixtures.Bytes("gen_v0.10.3_block_transfer.json"), block.Json.ToArray());
    }

    [Theory]
    [InlineData("gen_v0.10.3_genesis_block.json")]
    [InlineData("gen_v0.8.2_sha3_genesis_block.json")]
    [InlineData("gen_v0.6.0_keccak_genesis_block.json")]
    public void A_genesis_block_is_recognised_in_every_layout(string file) =>
        Assert.True(((Block)Read(Fixtures.Bytes(file), RecordKind.Block)).IsGenesis);

    [Fact]
    public void A_stored_vote_exposes_its_rethinkdb_id_and_timestamp()
    {
        var vote = (Vote)Read(Fixtures.Bytes("illustr_v0.10_votes_table_document.json"), RecordKind.Vote);
        Assert.Equal("7c9a2f5e-3b1d-4e8a-9f60-2d4b8c1e5a73", vote.Id);
        Assert.Equal(1493000021L, vote.Timestamp);
        Assert.Equal(Fixtures.Node1, vote.NodePubkey);
        Assert.Equal("da25ae513dd4817037b2c98463e776a597524e22a2deb0dc80bfd43a769f04ad", vote.PreviousBlock);
        Assert.True(vote.IsBlockValid);
        Assert.Null(vote.InvalidReason);
        Assert.Null(((Vote)Read(Fixtures.Bytes("real_v0.5_vote_from_issue548.json"), RecordKind.Vote)).Id);
    }

    [Theory]
    [InlineData("gen_v0.6.0_keccak_tx_create.json", TransactionLayout.V06, "CREATE")]
    [InlineData("gen_v0.7.0_keccak_tx_transfer.json", TransactionLayout.V07, "TRANSFER")]
    [InlineData("gen_v0.8.2_sha3_tx_create.json", TransactionLayout.V08, "CREATE")]
    [InlineData("real_v0.9_tx_create_from_pydriver_handcraft_docs.json", TransactionLayout.V09, "CREATE")]
    [InlineData("real_v0.10_genesis_tx_from_issue1590.json", TransactionLayout.V09, "GENESIS")]
    public void A_transaction_is_read_with_its_era_layout(string file, TransactionLayout layout, string operation)
    {
        var tx = (Transaction)Read(Fixtures.Bytes(file), RecordKind.Transaction);
        Assert.Equal((layout, operation), (tx.Layout, tx.Operation));
        Assert.Equal(64, tx.Id.Length);
    }

    [Fact]
    public void The_0_5_layout_keeps_version_outside_the_transaction()
    {
        var json = "{\"id\":\"x\",\"version\":1,\"transaction\":{\"fulfillments\":[],\"conditions\":[],\"operation\":\"CREATE\",\"timestamp\":\"1\",\"data\":null}}";
        Assert.Equal(TransactionLayout.V05, ((Transaction)Read(Encoding.UTF8.GetBytes(json), RecordKind.Transaction)).Layout);
    }

    [Fact]
    public void Asset_data_nested_a_hundred_levels_deep_is_still_read_and_checked()
    {
        var nested = new string('[', 100) + new string(']', 100);
        var json = Encoding.UTF8.GetString(Fixtures.Bytes("gen_v0.10.3_tx_create.json")).Replace("\"sequence\": 0", "\"sequence\": " + nested);
        Assert.Contains(nested, json);
        var result = new LedgerValidator(Fixtures.Federation).Validate(Encoding.UTF8.GetBytes(json), RecordKind.Transaction);
        Assert.Equal(InvalidReason.TransactionIdMismatch, result.Reason);
    }
}
