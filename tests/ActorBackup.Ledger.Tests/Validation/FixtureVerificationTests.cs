using System.Text;
using System.Text.Json;

namespace ActorBackup.Ledger.Tests;

public class FixtureVerificationTests
{
    private static readonly LedgerValidator Deep = new(Fixtures.Federation, new LedgerValidatorOptions(Deep: true));

    public static TheoryData<string> BlockFiles() => [.. Fixtures.Names("block")];

    public static TheoryData<string> VoteFiles() => [.. Fixtures.Names("vote")];

    public static TheoryData<string> TransactionFiles() => [.. Fixtures.Names("_tx_"), "illustr_v0.10_backlog_table_document.json"];

    private static IEnumerable<byte[]> Documents(string file) =>
        Fixtures.Element(file).ValueKind == JsonValueKind.Array ? Fixtures.ArrayItems(file) : [Fixtures.Bytes(file)];

    [Theory]
    [MemberData(nameof(BlockFiles))]
    public void Every_fixture_block_verifies_deeply_under_the_hash_its_file_name_says(string file)
    {
        var result = Deep.Validate(Fixtures.Bytes(file), RecordKind.Block);
        Assert.True(result.IsValid, result.ToString());
        Assert.Equal(Fixtures.HashNamedBy(file), result.Hash);
    }

    [Theory]
    [MemberData(nameof(VoteFiles))]
    public void Every_fixture_vote_verifies(string file)
    {
        foreach (var vote in Documents(file))
        {
            var result = Deep.Validate(vote, RecordKind.Vote);
            Assert.True(result.IsValid, result.ToString());
        }
    }

    [Theory]
    [MemberData(nameof(TransactionFiles))]
    public void Every_fixture_transaction_verifies_its_id_and_signatures_under_the_hash_its_file_name_says(string file)
    {
        var result = Deep.Validate(Fixtures.Bytes(file), RecordKind.Transaction);
        Assert.True(result.IsValid, result.ToString());
        Assert.Equal(Fixtures.HashNamedBy(file), result.Hash);
    }

    [Fact]
    public void A_0_7_vote_whose_signature_is_stored_as_rethinkdb_binary_verifies()
    {
        foreach (var vote in Fixtures.ArrayItems("gen_v0.7.0_keccak_votes.json"))
        {
            var node = System.Text.Json.Nodes.JsonNode.Parse(vote)!;
            var text = node["signature"]!.GetValue<string>();
            node["signature"] = new System.Text.Json.Nodes.JsonObject
            {
                ["$reql_type$"] = "BINARY",
                ["data"] = Convert.ToBase64String(Encoding.ASCII.GetBytes(text)),
            };
            var result = Deep.Validate(Encoding.UTF8.GetBytes(node.ToJsonString()), RecordKind.Vote);
            Assert.True(result.IsValid, result.ToString());
            Assert.Equal(text, ((Vote)Read(node.ToJsonString(), RecordKind.Vote)).Signature);
        }
    }

    [Theory]
    [MemberData(nameof(BlockFiles))]
    public void Flipping_any_byte_of_a_fixture_block_makes_it_invalid(string file) =>
        AssertEveryFlipFails(Fixtures.Bytes(file), RecordKind.Block, new LedgerValidator(Fixtures.Federation));

    [Theory]
    [MemberData(nameof(VoteFiles))]
    public void Flipping_any_byte_of_a_fixture_vote_makes_it_invalid(string file)
    {
        foreach (var vote in Documents(file))
        {
            // The RethinkDB-assigned vote id is not signed, so flips are tried on the signed document only.
            var node = System.Text.Json.Nodes.JsonNode.Parse(vote)!.AsObject();
            node.Remove("id");
            AssertEveryFlipFails(Encoding.UTF8.GetBytes(node.ToJsonString()), RecordKind.Vote, new LedgerValidator(Fixtures.Federation));
        }
    }

    [Theory]
    [MemberData(nameof(TransactionFiles))]
    public void Flipping_any_byte_of_a_fixture_transaction_makes_it_invalid(string file)
    {
        var node = System.Text.Json.Nodes.JsonNode.Parse(Fixtures.Bytes(file))!.AsObject();
        node.Remove("assignee");
        node.Remove("assignment_timestamp");
        AssertEveryFlipFails(Encoding.UTF8.GetBytes(node.ToJsonString()), RecordKind.Transaction, Deep);
    }

    private static void AssertEveryFlipFails(byte[] document, RecordKind kind, LedgerValidator validator)
    {
        var compact = CanonicalJson.ToBytes(JsonDocument.Parse(document).RootElement);
        Assert.True(validator.Validate(compact, kind).IsValid);
        for (var i = 0; i < compact.Length; i++)
        {
            var tampered = (byte[])compact.Clone();
            tampered[i] ^= 0x01;
            var result = validator.Validate(tampered, kind);
            Assert.False(result.IsValid, $"flipping byte {i} ('{(char)compact[i]}') of {Encoding.UTF8.GetString(compact)[..Math.Min(60, compact.Length)]}… left it valid");
        }
    }

    private static LedgerRecord Read(string json, RecordKind kind)
    {
        Assert.True(LedgerReader.TryRead(Encoding.UTF8.GetBytes(json), kind, out var record, out var failure), failure.ToString());
        return record!;
    }
}
