using System.Numerics;
using System.Text;
using ActorBackup.Cluster.Records;

namespace ActorBackup.Cluster.Tests.Records;

public sealed class DigestSpec
{
    private static CapturedRecord Vote(string id, string json) =>
        new("votes", id, 1490000000, Encoding.UTF8.GetBytes(json), RecordVerdict.Verified);

    [Fact]
    public void A_record_digest_is_sha256_of_the_length_prefixed_id_and_the_canonical_json()
    {
        // Computed independently with Python: sha256(struct.pack('>i', len(id)) + id + json).
        var digest = RecordDigest.Of(Vote("b726da5d-0716-4f8e-a580-9e09763434c0", "{\"id\":\"x\"}"));

        Assert.Equal("730a938d97e74f7e2d4a8056fa585c65476b76c17f4fd63a51e25a82f02a9a81", Convert.ToHexStringLower(digest));
    }

    [Fact]
    public void A_record_has_one_digest_however_the_source_spaced_ordered_and_escaped_its_json()
    {
        // As reqlite (JavaScript) and RethinkDB 2.4 may print the same document.
        var compact = Vote("v1", """{"id":"v1","vote":{"timestamp":"1490000000","is_block_valid":true},"node_pubkey":"kéy"}""");
        var spaced = Vote("v1", """{ "node_pubkey": "k\u00e9y", "vote": { "is_block_valid": true, "timestamp": "1490000000" }, "id": "v1" }""");

        Assert.Equal(RecordDigest.Of(compact), RecordDigest.Of(spaced));
        Assert.NotEqual(compact, spaced);
    }

    [Fact]
    public void A_copy_with_another_id_or_document_has_its_own_digest()
    {
        var original = Vote("v1", """{"id":"v1"}""");
        var first = RecordDigest.Of(original);

        Assert.Equal(RecordDigest.Of("v2", """{"id":"v1"}"""u8), RecordDigest.Of(original with { Id = "v2" }));
        Assert.Equal(RecordDigest.Of("v1", """{"id":"v2"}"""u8), RecordDigest.Of(original with { Json = """{"id":"v2"}"""u8.ToArray() }));
        Assert.Equal(first, RecordDigest.Of(original));
    }

    [Fact]
    public void A_document_that_is_not_json_is_digested_by_its_raw_bytes()
    {
        var truncated = Vote("v1", """{"id":"v1","vote":{"times""");

        Assert.Equal(RecordDigest.Size, RecordDigest.Of(truncated).Length);
        Assert.NotEqual(RecordDigest.Of(truncated), RecordDigest.Of(Vote("v1", """{"id":"v1","vote":{"timesx""")));
    }

    [Fact]
    public void The_shard_digest_is_the_same_whatever_order_records_are_added_in()
    {
        var digests = Enumerable.Range(0, 200).Select(i => RecordDigest.Of(Vote($"id-{i}", $"{{\"n\":{i}}}"))).ToList();

        var forward = digests.Aggregate(ShardDigest.Empty, (d, r) => d.Add(r));
        var backward = Enumerable.Reverse(digests).Aggregate(ShardDigest.Empty, (d, r) => d.Add(r));

        Assert.Equal(forward, backward);
        Assert.NotEqual(ShardDigest.Empty, forward);
    }

    [Fact]
    public void The_shard_digest_is_the_sum_of_the_record_digests_modulo_two_to_the_256()
    {
        var all = Enumerable.Repeat(Enumerable.Repeat((byte)0xff, 32).ToArray(), 3)
            .Concat(Enumerable.Range(0, 50).Select(i => RecordDigest.Of($"v{i}", [(byte)i])))
            .ToList();

        var digest = all.Aggregate(ShardDigest.Empty, (d, r) => d.Add(r));

        var modulus = BigInteger.One << 256;
        var expected = all.Aggregate(BigInteger.Zero, (s, r) => (s + new BigInteger(r, isUnsigned: true, isBigEndian: true)) % modulus);
        Assert.Equal(expected, new BigInteger(digest.ToBytes(), isUnsigned: true, isBigEndian: true));
        Assert.Equal(digest, ShardDigest.FromBytes(digest.ToBytes()));
    }

    [Fact]
    public void A_record_counted_twice_changes_the_digest()
    {
        var one = RecordDigest.Of(Vote("a", "{}"));

        Assert.NotEqual(ShardDigest.Empty.Add(one), ShardDigest.Empty.Add(one).Add(one));
        Assert.NotEqual(ShardDigest.Empty, ShardDigest.Empty.Add(one).Add(one));
    }

    [Fact]
    public void Captured_records_compare_by_the_bytes_of_their_json()
    {
        Assert.Equal(Vote("a", "{}"), Vote("a", "{}"));
        Assert.NotEqual(Vote("a", "{}"), Vote("a", "{ }"));
    }
}
