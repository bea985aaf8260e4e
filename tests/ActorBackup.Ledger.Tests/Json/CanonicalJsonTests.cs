using System.Text;
using System.Text.Json;

namespace ActorBackup.Ledger.Tests;

public class CanonicalJsonTests
{
    private static string Canonical(string json) => Encoding.UTF8.GetString(CanonicalJson.ToBytes(JsonDocument.Parse(json).RootElement));

    [Fact]
    public void The_block_preimages_equal_the_signed_strings_of_the_test_vectors()
    {
        foreach (var (vector, file) in new[] { ("block_vector_sha3", "gen_v0.10.3_block_create.json"), ("block_vector_keccak", "gen_v0.8.0_keccak_block_create.json") })
        {
            var expected = Fixtures.TestVectors.GetProperty(vector).GetProperty("block_preimage_utf8").GetString();
            var block = Fixtures.Element(file).GetProperty("block");
            Assert.Equal(expected, Encoding.UTF8.GetString(CanonicalJson.ToBytes(block)));
        }
    }

    [Fact]
    public void The_vote_message_equals_the_signed_string_of_the_issue_548_vector()
    {
        var expected = Fixtures.TestVectors.GetProperty("vote_signature_vector").GetProperty("signed_message_utf8").GetString();
        var vote = Fixtures.Element("real_v0.5_vote_from_issue548.json").GetProperty("vote");
        Assert.Equal(expected, Encoding.UTF8.GetString(CanonicalJson.ToBytes(vote)));
    }

    [Fact]
    public void Keys_are_sorted_by_their_utf8_bytes_not_by_utf16_code_units()
    {
        // U+FF5E sorts before U+1F600 in UTF-8 (EF.. < F0..) but after it in UTF-16 (FF5E > D83D).
        Assert.Equal("{\"b\":1,\"é\":2,\"～\":3,\"😀\":4}", Canonical("{\"😀\":4,\"～\":3,\"é\":2,\"b\":1}"));
    }

    [Fact]
    public void Output_is_compact_with_raw_non_ascii_and_only_the_rapidjson_escapes()
    {
        Assert.Equal("{\"a\":[1,2],\"s\":\"字/\u007f\\\"\\\\\\b\\t\\n\\f\\r\\u0001\\u001f\"}",
            Canonical("{ \"s\" : \"\\u5b57\\/\u007f\\\"\\\\\\b\\t\\n\\f\\r\\u0001\\u001F\", \"a\" : [ 1 , 2 ] }"));
    }

    [Fact]
    public void Number_tokens_are_copied_verbatim()
    {
        Assert.Equal("[1,2.0,1e21,1.5e-7,-0,123456789012345678901234567890]", Canonical("[1, 2.0, 1e21, 1.5e-7, -0, 123456789012345678901234567890]"));
    }

    [Fact]
    public void Arrays_keep_their_order_and_nulls_are_kept()
    {
        Assert.Equal("{\"v\":[\"z\",\"a\",\"z\"],\"x\":null}", Canonical("{\"x\":null,\"v\":[\"z\",\"a\",\"z\"]}"));
    }

    [Fact]
    public void A_key_given_twice_has_no_canonical_form()
    {
        Assert.Throws<CanonicalJsonException>(() => Canonical("{\"a\":1,\"a\":2}"));
    }
}

public class TransactionPreimageTests
{
    [Fact]
    public void The_0_9_transaction_id_preimage_and_signed_message_equal_the_test_vector_strings()
    {
        var vector = Fixtures.TestVectors.GetProperty("tx_vector_v0.9");
        var tx = Fixtures.Element("real_v0.9_tx_create_from_pydriver_handcraft_docs.json");
        var preimage = TransactionVerifier.IdPreimage(tx);
        Assert.Equal(vector.GetProperty("id_preimage_utf8").GetString(), System.Text.Encoding.UTF8.GetString(preimage));
        Assert.Equal(vector.GetProperty("expected_id").GetString(), LedgerHasher.ComputeHex(LedgerHash.Sha3_256, preimage));
        Assert.Equal(vector.GetProperty("input0_signed_message_utf8").GetString(),
            System.Text.Encoding.UTF8.GetString(TransactionVerifier.FlatInputMessage(tx, 0, LedgerHash.Sha3_256)));
    }

    [Fact]
    public void The_keccak_block_vector_would_have_another_id_under_fips_sha3()
    {
        var vector = Fixtures.TestVectors.GetProperty("block_vector_keccak");
        var preimage = System.Text.Encoding.UTF8.GetBytes(vector.GetProperty("block_preimage_utf8").GetString()!);
        Assert.Equal(vector.GetProperty("expected_id").GetString(), LedgerHasher.ComputeHex(LedgerHash.Keccak256, preimage));
        Assert.Equal(vector.GetProperty("computed_id_if_fips_sha3").GetString(), LedgerHasher.ComputeHex(LedgerHash.Sha3_256, preimage));
    }
}
