using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ActorBackup.Cluster.Serialization.Documents;
using ActorBackup.Ledger.Crypto;
using ActorBackup.Ledger.Json;
using ActorBackup.Testing;

namespace ActorBackup.Cluster.Tests.Serialization;

/// <summary>
/// The packed form of journal documents gives every document back byte for byte, keeps ids that are hashes of what
/// the document holds only as the kind of hash (format 2), and refuses forms it cannot read with an error.
/// </summary>
public sealed class JsonPackerSpec
{
    public static TheoryData<string> FixtureFiles() =>
        new(Directory.GetFiles(RepoPaths.BigchainDbFixtures, "*.json").Select(Path.GetFileName).Where(n => n != "test_vectors.json").Order()!);

    [Theory]
    [MemberData(nameof(FixtureFiles))]
    public void Every_ledger_document_unpacks_to_its_exact_bytes(string file)
    {
        foreach (var document in StoredForms(file))
            Assert.Equal(Encoding.UTF8.GetString(document), Encoding.UTF8.GetString(JsonPacker.Unpack(JsonPacker.Pack(document))));
    }

    [Theory]
    [InlineData("gen_v0.10.3_block_transfer.json", 2)]
    [InlineData("gen_v0.10.3_genesis_block.json", 2)]
    [InlineData("gen_v0.8.2_sha3_block_transfer.json", 2)]
    [InlineData("gen_v0.8.0_keccak_block_create.json", 2)]
    [InlineData("gen_v0.7.0_keccak_block_transfer.json", 2)]
    // 0.6 hashed only the inner transaction object (docs: bigchaindb-formats, 7.2): its transaction ids are kept.
    [InlineData("gen_v0.6.0_keccak_block_create.json", 1)]
    public void Block_and_transaction_ids_that_hash_the_document_are_computed_again_rather_than_kept(string file, int derivedIds)
    {
        var block = StoredForms(file).Single();
        var packed = JsonPacker.Pack(block);
        var ids = BlockAndTransactionIds(block);

        Assert.Equal(JsonPacker.ExtendedTag, packed[0]);
        Assert.Equal(derivedIds, ids.Count(id => !Contains(packed, Convert.FromHexString(id))));
        Assert.Equal(block, JsonPacker.Unpack(packed));
    }

    [Fact]
    public void An_id_that_is_not_the_hash_of_its_document_is_kept_as_written()
    {
        var block = JsonNode.Parse(StoredForms("gen_v0.10.3_block_transfer.json").Single())!;
        var forgedId = new string('a', 63) + "b";
        block["id"] = forgedId;
        // Changed metadata changes the pre-image of the transaction id, which then no longer matches.
        var tx = block["block"]!["transactions"]![0]!;
        tx["metadata"] = new JsonObject { ["sequence"] = 2 };
        var txId = (string)tx["id"]!;
        var json = CanonicalJson.ToBytes(block);

        var packed = JsonPacker.Pack(json);

        Assert.True(Contains(packed, Convert.FromHexString(forgedId)), "the forged block id is kept");
        Assert.True(Contains(packed, Convert.FromHexString(txId)), "the transaction id that no longer hashes the transaction is kept");
        Assert.Equal(json, JsonPacker.Unpack(packed));
    }

    [Theory]
    [InlineData("cf:4:MTmLrdyfhfxPw3WxnaYaQkPmU1GcEzg9mAj_O_Nuv5y-fM5oc0y6GosCRc8sbEcHscFQXB_VkUraPkRLoTYo9fN4fb0hZlw63jX7fdtAmZmFyOVe7mQtEyxZyU7RzAYH", true)]
    [InlineData("cc:4:20:MTmLrdyfhfxPw3WxnaYaQkPmU1GcEzg9mAj_O_Nuv5w:96", true)]
    [InlineData("pKvURIxJVi2CgRXROh_M6pJ_UrTVRZKX-LQ-QtqJI4vBNibkPcs43bCCSIkn7JBPtCBXRDmD6IWFF51QVRr-YqH85DY4", true)]
    // The last character carries bits a decoder drops: the run is kept as text.
    [InlineData("cc:4:20:MTmLrdyfhfxPw3WxnaYaQkPmU1GcEzg9mAj_O_Nuv5x:96", false)]
    [InlineData("cc:4:20:short:96", false)]
    [InlineData("a sentence of more than twenty-two characters", false)]
    public void A_base64url_run_is_kept_as_its_bytes_only_when_they_spell_it_exactly(string value, bool asBytes)
    {
        var json = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new { fulfillment = value }));

        var packed = JsonPacker.Pack(json);

        Assert.Equal(json, JsonPacker.Unpack(packed));
        Assert.Equal(asBytes, !Contains(packed, Encoding.ASCII.GetBytes(value.Split(':').MaxBy(s => s.Length)!)));
        Assert.Equal(asBytes ? JsonPacker.ExtendedTag : JsonPacker.PackedTag, packed[0]);
    }

    [Fact]
    public void A_document_without_the_forms_of_format_2_keeps_the_bytes_of_format_1()
    {
        var vote = StoredForms("gen_v0.10.3_votes.json").First();

        // Format 1, as written before format 2 existed: an object whose one field is named, then its id as hex bytes.
        var written = JsonPacker.Pack("{\"id\":\"9a3f5c9a3f5c9a3f\"}"u8);

        Assert.Equal(JsonPacker.PackedTag, JsonPacker.Pack(vote)[0]);
        Assert.Equal(Convert.FromHexString("0101010269640908" + "9a3f5c9a3f5c9a3f" + "00"), written);
        Assert.Equal("{\"id\":\"9a3f5c9a3f5c9a3f\"}", Encoding.UTF8.GetString(JsonPacker.Unpack(written)));
    }

    [Theory]
    // Format 1 with a derived hash (tag 14) of field 0: only format 2 has it.
    [InlineData("01" + "01" + "01" + "0161" + "01" + "00" + "02" + "0162" + "0E" + "01" + "00" + "00", "unknown tag 14")]
    // Format 2 with a derived hash of field 5, which the object does not have.
    [InlineData("02" + "01" + "01" + "0161" + "01" + "00" + "02" + "0162" + "0E" + "01" + "05" + "00", "not an earlier one")]
    // A derived hash of an unknown kind.
    [InlineData("02" + "01" + "01" + "0161" + "01" + "00" + "02" + "0162" + "0E" + "09" + "00" + "00", "unknown kind 9")]
    // A derived id in an array, outside any object.
    [InlineData("02" + "02" + "0F" + "01" + "00", "unknown tag 15")]
    [InlineData("04" + "03", "unknown format 4")]
    // Format 2 naming an interned hash (tag 16): only format 3 has it.
    [InlineData("02" + "10" + "00", "unknown tag 16")]
    // Format 3 naming interned hash 0, read without a table of interned hashes.
    [InlineData("03" + "10" + "00", "the document names interned hash 0, and no table of interned hashes was given")]
    public void A_form_it_cannot_read_is_refused_with_what_is_wrong(string hex, string message)
    {
        var error = Assert.Throws<InvalidDataException>(() => JsonPacker.Unpack(Convert.FromHexString(hex)));

        Assert.Contains(message, error.Message);
    }

    [Fact]
    public void A_hash_the_node_interned_is_named_by_its_number_and_read_back_only_with_the_table_that_holds_it()
    {
        var vote = StoredForms("gen_v0.10.3_votes.json").First();
        var votedFor = Convert.FromHexString((string)JsonNode.Parse(vote)!["vote"]!["voting_for_block"]!);
        var hashes = new InternedHashes();
        hashes.Add(0, [.. new byte[InternedHashes.HashBytes], .. votedFor]);

        var packed = JsonPacker.Pack(vote, hashes.Prefix());

        Assert.Equal(JsonPacker.InternedTag, packed[0]);
        Assert.False(Contains(packed, votedFor), "the interned hash is named by its number");
        Assert.Equal(vote, JsonPacker.Unpack(packed, hashes.Prefix()));
        Assert.Contains("no table of interned hashes was given", Assert.Throws<InvalidDataException>(() => JsonPacker.Unpack(packed)).Message);
        var fewer = new InternedHashes();
        fewer.Add(0, new byte[InternedHashes.HashBytes]);
        Assert.Equal("the document names interned hash 1, and its payload vouches for 1",
            Assert.Throws<InvalidDataException>(() => JsonPacker.Unpack(packed, fewer.Prefix())).Message);
        Assert.Equal(JsonPacker.PackedTag, JsonPacker.Pack(vote, new InternedHashes().Prefix())[0]);
    }

    [Fact]
    public void A_second_derived_id_in_one_object_is_refused_rather_than_hashed_again()
    {
        // {"a":{},"b":<SHA3 of field 0>,"b":<SHA3 of field 0>}: packing writes one derived id an object at most.
        var form = Convert.FromHexString("02" + "01" + "01" + "0161" + "01" + "00" + "02" + "0162" + "0E" + "01" + "00" + "02" + "0E" + "01" + "00" + "00");

        var error = Assert.Throws<InvalidDataException>(() => JsonPacker.Unpack(form));

        Assert.Contains("a second derived id in one object", error.Message);
    }

    [Fact]
    public void A_form_whose_derived_ids_hash_far_more_than_it_spells_is_refused()
    {
        // 60 objects nested in field "a", each with a derived id of itself, around 1 MiB of text: every level hashes it all again.
        var form = new List<byte> { JsonPacker.ExtendedTag };
        for (var level = 0; level < 60; level++)
        {
            form.AddRange(level == 0 ? [1, 1, 2, (byte)'i', (byte)'d', 15, 1, 2, 1, (byte)'a'] : [1, 1, 15, 1, 2]);
        }
        form.Add(8);
        AddBlock(form, Enumerable.Repeat((byte)'x', 1 << 20).ToArray());
        form.AddRange(Enumerable.Repeat((byte)0, 60));

        var error = Assert.Throws<InvalidDataException>(() => JsonPacker.Unpack(form.ToArray()));

        Assert.Contains("derived ids hash", error.Message);
    }

    [Fact]
    public void Packing_stops_trying_to_derive_ids_once_it_has_hashed_several_times_the_document()
    {
        // Ten objects nested in field "a", each with the id a transaction would have: the hash of the object without it.
        var json = "{\"a\":\"" + new string('x', 256 * 1024) + "\"}";
        var ids = new List<string>();
        for (var level = 0; level < 10; level++)
        {
            var id = LedgerHasher.ComputeHex(LedgerHash.Sha3_256, Encoding.UTF8.GetBytes(json));
            ids.Add(id);
            json = json[..^1] + ",\"id\":\"" + id + "\"}";
            if (level < 9) json = "{\"a\":" + json + "}";
        }
        var document = Encoding.UTF8.GetBytes(json);

        var packed = JsonPacker.Pack(document);

        Assert.Equal(document, JsonPacker.Unpack(packed));
        Assert.False(Contains(packed, Convert.FromHexString(ids[0])), "the innermost id is computed again");
        Assert.True(Contains(packed, Convert.FromHexString(ids[^1])), "the outermost id, past the budget, is kept");
    }

    [Fact]
    public void A_form_that_spells_more_than_a_document_can_hold_is_refused()
    {
        // {"k…k" (1 MiB):null, named again 70 times}: 2 bytes of form per MiB of output.
        var form = new List<byte> { JsonPacker.PackedTag, 1, 1 };
        AddBlock(form, Enumerable.Repeat((byte)'k', 1 << 20).ToArray());
        form.Add(3);
        for (var i = 1; i < 70; i++) form.AddRange([1, 3]);
        form.Add(0);

        var error = Assert.Throws<InvalidDataException>(() => JsonPacker.Unpack(form.ToArray()));

        Assert.Contains($"more than {JsonPacker.MaxDocumentBytes} bytes", error.Message);
    }

    [Fact]
    public void A_base58_string_longer_than_packing_writes_is_refused()
    {
        var form = new List<byte> { JsonPacker.PackedTag, 10 };
        AddBlock(form, Enumerable.Repeat((byte)0xFF, 97).ToArray());

        var error = Assert.Throws<InvalidDataException>(() => JsonPacker.Unpack(form.ToArray()));

        Assert.Contains("a base58 string of 97 bytes", error.Message);
    }

    [Fact]
    public void The_id_preimage_drops_the_id_when_a_fulfillment_comes_just_before_it()
    {
        Assert.Equal("{\"fulfillment\":null}", Encoding.UTF8.GetString(IdPreimage.Of("{\"fulfillment\":1,\"id\":\"x\"}"u8, memberStart: 17, memberEnd: 25)));
        Assert.Equal("{\"fulfillment\":null}", Encoding.UTF8.GetString(IdPreimage.Of("{\"id\":\"x\",\"fulfillment\":1}"u8, memberStart: 1, memberEnd: 9)));
        Assert.Equal("{\"a\":{\"fulfillment\":null},\"b\":2}", Encoding.UTF8.GetString(IdPreimage.Of("{\"a\":{\"fulfillment\":\"cf\"},\"id\":\"x\",\"b\":2}"u8, memberStart: 26, memberEnd: 34)));
    }

    private static void AddBlock(List<byte> form, ReadOnlySpan<byte> bytes)
    {
        var length = (ulong)bytes.Length;
        while (length >= 0x80)
        {
            form.Add((byte)(length | 0x80));
            length >>= 7;
        }
        form.Add((byte)length);
        form.AddRange(bytes.ToArray());
    }

    /// <summary>The documents of a fixture as RethinkDB stores them: compact, keys sorted.</summary>
    private static IEnumerable<byte[]> StoredForms(string file)
    {
        var root = JsonNode.Parse(File.ReadAllText(Path.Combine(RepoPaths.BigchainDbFixtures, file)))!;
        return root is JsonArray documents ? documents.Select(d => CanonicalJson.ToBytes(d)) : [CanonicalJson.ToBytes(root)];
    }

    private static List<string> BlockAndTransactionIds(byte[] block)
    {
        var node = JsonNode.Parse(block)!;
        return [(string)node["id"]!, .. node["block"]!["transactions"]!.AsArray().Select(tx => (string)tx!["id"]!)];
    }

    private static bool Contains(byte[] haystack, byte[] needle) => haystack.AsSpan().IndexOf(needle) >= 0;
}
