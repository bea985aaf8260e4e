using System.Text.Json;
using System.Text;
using System.Text.Json.Nodes;

namespace ActorBackup.Ledger.Tests;

public class BadInputTests
{
    private static readonly LedgerValidator Validator = new(Fixtures.Federation, new LedgerValidatorOptions(MaxDocumentBytes: 64 * 1024, Deep: true));

    private static JsonObject Vote() => JsonNode.Parse(Fixtures.ArrayItems("gen_v0.10.3_votes.json").First())!.AsObject();

    private static JsonObject Block() => JsonNode.Parse(Fixtures.Bytes("gen_v0.10.3_block_create.json"))!.AsObject();

    private static ValidationResult Check(string json, RecordKind kind) => Validator.Validate(Encoding.UTF8.GetBytes(json), kind);

    private static ValidationResult Check(JsonNode node, RecordKind kind) => Check(node.ToJsonString(), kind);

    private static void AssertInvalid(InvalidReason reason, ValidationResult result)
    {
        Assert.Equal(reason, result.Reason);
        Assert.False(result.IsValid);
        Assert.DoesNotContain('\n', result.Message);
        Assert.NotEmpty(result.Message);
    }

    public static TheoryData<string, RecordKind, InvalidReason> Malformed() => new()
    {
        { "", RecordKind.Vote, InvalidReason.NotJson },
        { "{", RecordKind.Block, InvalidReason.NotJson },
        { "not json at all", RecordKind.Transaction, InvalidReason.NotJson },
        { "{\"a\":1} trailing", RecordKind.Vote, InvalidReason.NotJson },
        { "[1,2]", RecordKind.Vote, InvalidReason.NotAnObject },
        { "\"text\"", RecordKind.Block, InvalidReason.NotAnObject },
        { "42", RecordKind.Transaction, InvalidReason.NotAnObject },
        { "{}", RecordKind.Vote, InvalidReason.MissingField },
        { "{}", RecordKind.Block, InvalidReason.MissingField },
        { "{}", RecordKind.Transaction, InvalidReason.UnknownTransactionLayout },
        { new string('[', 500) + new string(']', 500), RecordKind.Block, InvalidReason.NotJson },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void Malformed_documents_are_invalid_with_a_reason_and_no_exception(string json, RecordKind kind, InvalidReason reason) =>
        AssertInvalid(reason, Check(json, kind));

    [Fact]
    public void A_document_over_the_size_cap_is_rejected_before_parsing()
    {
        var huge = new byte[64 * 1024 + 1];
        AssertInvalid(InvalidReason.TooLarge, Validator.Validate(huge, RecordKind.Block));
        Assert.Equal(16 * 1024 * 1024, LedgerValidatorOptions.Default.MaxDocumentBytes);
    }

    [Fact]
    public void Vote_fields_of_the_wrong_type_or_missing_are_reported()
    {
        var v = Vote(); v.Remove("node_pubkey"); AssertInvalid(InvalidReason.MissingField, Check(v, RecordKind.Vote));
        v = Vote(); v["node_pubkey"] = 5; AssertInvalid(InvalidReason.WrongFieldType, Check(v, RecordKind.Vote));
        v = Vote(); v["signature"] = true; AssertInvalid(InvalidReason.WrongFieldType, Check(v, RecordKind.Vote));
        v = Vote(); v["signature"] = new JsonObject { ["$reql_type$"] = "TIME" }; AssertInvalid(InvalidReason.WrongFieldType, Check(v, RecordKind.Vote));
        v = Vote(); v["vote"] = "x"; AssertInvalid(InvalidReason.WrongFieldType, Check(v, RecordKind.Vote));
        v = Vote(); v["vote"]!["is_block_valid"] = "yes"; AssertInvalid(InvalidReason.WrongFieldType, Check(v, RecordKind.Vote));
        v = Vote(); v["vote"]!.AsObject().Remove("invalid_reason"); AssertInvalid(InvalidReason.MissingField, Check(v, RecordKind.Vote));
        v = Vote(); v["vote"]!["invalid_reason"] = 3; AssertInvalid(InvalidReason.WrongFieldType, Check(v, RecordKind.Vote));
        v = Vote(); v["vote"]!["timestamp"] = 1493000021; AssertInvalid(InvalidReason.WrongFieldType, Check(v, RecordKind.Vote));
        v = Vote(); v["vote"]!["timestamp"] = "14930x0021"; AssertInvalid(InvalidReason.BadTimestamp, Check(v, RecordKind.Vote));
        v = Vote(); v["vote"]!["timestamp"] = ""; AssertInvalid(InvalidReason.BadTimestamp, Check(v, RecordKind.Vote));
        v = Vote(); v["vote"]!["previous_block"] = "ABC"; AssertInvalid(InvalidReason.BadBlockId, Check(v, RecordKind.Vote));
    }

    [Fact]
    public void Bad_vote_keys_and_signatures_are_reported_by_kind()
    {
        var v = Vote(); v["node_pubkey"] = "0OIl"; AssertInvalid(InvalidReason.BadBase58, Check(v, RecordKind.Vote));
        v = Vote(); v["node_pubkey"] = "2222"; AssertInvalid(InvalidReason.BadKeyLength, Check(v, RecordKind.Vote));
        v = Vote(); v["node_pubkey"] = Fixtures.TestVectors.GetProperty("keypairs")[0].GetProperty("public").GetString();
        AssertInvalid(InvalidReason.VoterNotInFederation, Check(v, RecordKind.Vote));
        v = Vote(); v["signature"] = "0OIl"; AssertInvalid(InvalidReason.BadBase58, Check(v, RecordKind.Vote));
        v = Vote(); v["signature"] = Fixtures.Node1; AssertInvalid(InvalidReason.BadSignatureLength, Check(v, RecordKind.Vote));
        v = Vote(); v["signature"] = new string('z', 200); AssertInvalid(InvalidReason.BadBase58, Check(v, RecordKind.Vote));
        v = Vote(); v["vote"]!["is_block_valid"] = false; AssertInvalid(InvalidReason.SignatureMismatch, Check(v, RecordKind.Vote));
        v = Vote(); v["vote"]!["extra"] = 1; AssertInvalid(InvalidReason.SignatureMismatch, Check(v, RecordKind.Vote));
    }

    [Fact]
    public void A_vote_keeps_verifying_with_unknown_fields_outside_the_signed_part()
    {
        var v = Vote(); v["id"] = "b726da5d-0716-4f8e-a580-9e09763434c0"; v["future_field"] = new JsonArray(1.5, "x");
        Assert.True(Check(v, RecordKind.Vote).IsValid);
    }

    [Fact]
    public void A_string_holding_a_lone_surrogate_escape_is_unreadable_not_a_crash()
    {
        var v = Vote(); v["vote"]!["invalid_reason"] = "PLACEHOLDER";
        var json = v.ToJsonString().Replace("PLACEHOLDER", "\\ud800");
        Assert.Contains("\\ud800", json);
        AssertInvalid(InvalidReason.NotJson, Check(json, RecordKind.Vote));
    }

    [Fact]
    public void A_key_repeated_inside_the_signed_part_is_invalid()
    {
        var json = Vote().ToJsonString().Replace("\"is_block_valid\":true", "\"is_block_valid\":true,\"is_block_valid\":true");
        AssertInvalid(InvalidReason.DuplicateKey, Check(json, RecordKind.Vote));
    }

    [Fact]
    public void Block_shape_errors_are_reported_by_kind()
    {
        var b = Block(); b["id"] = 1; AssertInvalid(InvalidReason.WrongFieldType, Check(b, RecordKind.Block));
        b = Block(); b["id"] = "XYZ"; AssertInvalid(InvalidReason.BadBlockId, Check(b, RecordKind.Block));
        b = Block(); b.Remove("signature"); AssertInvalid(InvalidReason.MissingField, Check(b, RecordKind.Block));
        b = Block(); b["block"]!["transactions"] = new JsonArray(); AssertInvalid(InvalidReason.EmptyBlock, Check(b, RecordKind.Block));
        b = Block(); b["block"]!["transactions"] = new JsonArray(1); AssertInvalid(InvalidReason.WrongFieldType, Check(b, RecordKind.Block));
        b = Block(); b["block"]!["voters"] = new JsonArray(1); AssertInvalid(InvalidReason.BadVoters, Check(b, RecordKind.Block));
        b = Block(); b["block"]!["voters"] = new JsonArray(Fixtures.Node1); AssertInvalid(InvalidReason.SignerNotInVoters, Check(b, RecordKind.Block));
        b = Block(); b["block"]!["timestamp"] = "soon"; AssertInvalid(InvalidReason.BadTimestamp, Check(b, RecordKind.Block));
        b = Block(); b["id"] = new string('0', 64); AssertInvalid(InvalidReason.IdMismatch, Check(b, RecordKind.Block));
        b = Block(); b["signature"] = "0OIl"; AssertInvalid(InvalidReason.BadBase58, Check(b, RecordKind.Block));
        b = Block(); b["signature"] = Fixtures.Node1; AssertInvalid(InvalidReason.BadSignatureLength, Check(b, RecordKind.Block));
        b = Block(); b["signature"] = JsonNode.Parse(Fixtures.Bytes("gen_v0.10.3_block_transfer.json"))!["signature"]!.GetValue<string>();
        AssertInvalid(InvalidReason.SignatureMismatch, Check(b, RecordKind.Block));
    }

    [Fact]
    public void A_block_signed_by_a_node_outside_the_federation_is_invalid()
    {
        var twoNodes = new LedgerValidator(FederationKeys.FromPublicKeys(Fixtures.Node1, Fixtures.Node3));
        AssertInvalid(InvalidReason.SignerNotInFederation, twoNodes.Validate(Fixtures.Bytes("gen_v0.10.3_block_create.json"), RecordKind.Block));
    }

    [Fact]
    public void Altering_a_transaction_breaks_the_block_id_and_bad_fulfillments_are_reported_by_kind()
    {
        var b = Block();
        b["block"]!["transactions"]![0]!["inputs"]![0]!["fulfillment"] = "cf:4:" + new string('A', 128);
        AssertInvalid(InvalidReason.IdMismatch, Check(b, RecordKind.Block));

        var tx = JsonNode.Parse(Fixtures.Bytes("gen_v0.10.3_tx_create.json"))!.AsObject();
        tx["inputs"]![0]!["fulfillment"] = "cf:2:AAAA";
        AssertInvalid(InvalidReason.UnsupportedFulfillment, Check(tx, RecordKind.Transaction));
        tx["inputs"]![0]!["fulfillment"] = "xx:4:AAAA";
        AssertInvalid(InvalidReason.BadFulfillment, Check(tx, RecordKind.Transaction));
        tx["inputs"]![0]!["fulfillment"] = "cf:4:AAAA";
        AssertInvalid(InvalidReason.BadFulfillment, Check(tx, RecordKind.Transaction));
        tx["inputs"]![0]!["fulfillment"] = 7;
        AssertInvalid(InvalidReason.BadFulfillment, Check(tx, RecordKind.Transaction));
        tx["id"] = new string('a', 64);
        AssertInvalid(InvalidReason.TransactionIdMismatch, Check(tx, RecordKind.Transaction));
    }

    [Fact]
    public void A_fulfillment_by_someone_outside_owners_before_is_rejected()
    {
        var tx = JsonNode.Parse(Fixtures.Bytes("gen_v0.10.3_tx_create.json"))!.AsObject();
        tx["inputs"]![0]!["owners_before"] = new JsonArray(Fixtures.Node1);
        tx["id"] = LedgerHasher.ComputeHex(LedgerHash.Sha3_256, TransactionVerifier.IdPreimage(System.Text.Json.JsonDocument.Parse(tx.ToJsonString()).RootElement));
        AssertInvalid(InvalidReason.FulfillmentKeyNotOwner, Check(tx, RecordKind.Transaction));
    }

    [Fact]
    public void The_reader_reports_the_same_reasons_without_throwing()
    {
        Assert.False(LedgerReader.TryRead("{"u8, RecordKind.Vote, out _, out var failure));
        Assert.Equal(InvalidReason.NotJson, failure.Reason);
        Assert.False(LedgerReader.TryRead("{}"u8, RecordKind.Block, out _, out failure));
        Assert.Equal(InvalidReason.MissingField, failure.Reason);
        Assert.False(LedgerReader.TryRead(new byte[100], RecordKind.Block, out _, out failure, maxDocumentBytes: 10));
        Assert.Equal(InvalidReason.TooLarge, failure.Reason);
    }
}

public class ValidateAndReadTests
{
    [Fact]
    public void One_call_validates_and_reads_a_record_even_when_it_is_rejected()
    {
        var validator = new LedgerValidator(FederationKeys.FromPublicKeys(Fixtures.Node1));
        var result = validator.ValidateAndRead(Fixtures.Bytes("gen_v0.10.3_block_transfer.json"), RecordKind.Block, out var record, out _);
        Assert.Equal(InvalidReason.SignerNotInFederation, result.Reason);
        Assert.Equal("389be5357800c5602b824479b662386db221a3650a13cb34e7a709f4aee35e24", record!.Id);
        Assert.Equal(1493000014L, ((Block)record).Timestamp);

        result = validator.ValidateAndRead(Fixtures.Bytes("illustr_v0.10_votes_table_document.json"), RecordKind.Vote, out record, out _);
        Assert.True(result.IsValid, result.ToString());
        Assert.Equal("7c9a2f5e-3b1d-4e8a-9f60-2d4b8c1e5a73", record!.Id);

        result = validator.ValidateAndRead("{\"node_pubkey\":1}"u8, RecordKind.Vote, out record, out _);
        Assert.Equal(InvalidReason.WrongFieldType, result.Reason);
        Assert.Null(record);
    }

    [Fact]
    public void The_same_call_can_give_the_canonical_json_of_a_valid_document_and_none_for_a_rejected_one()
    {
        var validator = new LedgerValidator(FederationKeys.FromPublicKeys(Fixtures.Node1));
        var vote = Fixtures.Bytes("illustr_v0.10_votes_table_document.json");

        var result = validator.ValidateAndRead(vote, RecordKind.Vote, out _, out var canonical);
        Assert.True(result.IsValid, result.ToString());
        Assert.Equal(CanonicalJson.ToBytes(JsonDocument.Parse(vote).RootElement), canonical);

        result = validator.ValidateAndRead(Fixtures.Bytes("gen_v0.10.3_block_transfer.json"), RecordKind.Block, out _, out canonical);
        Assert.False(result.IsValid);
        Assert.Null(canonical);
    }
}
