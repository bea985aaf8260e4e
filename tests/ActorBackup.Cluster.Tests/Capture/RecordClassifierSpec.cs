using System.Text;
using ActorBackup.Cluster.Capture.Pipeline;
using ActorBackup.Cluster.Records;
using ActorBackup.Cluster.Replica;
using ActorBackup.Cluster.Sharding;
using ActorBackup.Ledger.Simulation;
using ActorBackup.Ledger.Validation;

namespace ActorBackup.Cluster.Tests.Capture;

public sealed class RecordClassifierSpec
{
    private static readonly SimulatedLedger Ledger = new("classifier", 1_700_000_000, new FaultRates(ForgedSignatures: 0.5));
    private static readonly IReadOnlyList<LedgerDocument> Documents = Ledger.Next(8);
    private static readonly LedgerValidator Validator = new(Ledger.Federation);

    private static RecordClassifier ClassifierFor(string table, string id, int shards = 4)
    {
        var keys = new KeySpace(shards);
        var shard = keys.ShardOf(id);
        return new RecordClassifier(new ReplicaId(table, shard), keys.Ranges[shard], Validator);
    }

    private static CaptureElement Classify(LedgerDocument d) =>
        ClassifierFor(d.Table, d.Id).Classify(new SourceDocument(d.Json, DocumentOrigin.Feed));

    [Fact]
    public void A_genuine_vote_or_block_is_a_verified_record_with_its_id_timestamp_and_exact_bytes()
    {
        foreach (var document in Documents.Where(d => d.Fault == SimulatedFault.None))
        {
            var valid = Assert.IsType<ValidDocument>(Classify(document));
            Assert.Equal((document.Table, document.Id, document.Timestamp, RecordVerdict.Verified), (valid.Record.Table, valid.Record.Id, valid.Record.Timestamp, valid.Record.Verdict));
            Assert.Equal(document.Json, valid.Record.Json.ToArray());
        }
    }

    [Fact]
    public void A_verified_record_carries_the_digest_a_fresh_parse_would_give_however_its_json_is_spaced()
    {
        var vote = Documents.First(d => d.Fault == SimulatedFault.None && d.Table == "votes");
        var text = Encoding.UTF8.GetString(vote.Json);
        var variants = new[]
        {
            text,
            " \n" + text + " \r\n\t",
            text.Replace(",", " , ").Replace(":", " : "),
            // A repeated key outside the signed part has no canonical form: the digest falls back to the raw bytes.
            text[..^1] + ",\"note\":1,\"note\":2}",
        };

        foreach (var json in variants.Select(Encoding.UTF8.GetBytes))
        {
            var valid = Assert.IsType<ValidDocument>(ClassifierFor("votes", vote.Id).Classify(new SourceDocument(json, DocumentOrigin.Feed)));
            Assert.Equal(RecordDigest.Of(vote.Id, json), valid.Record.Digest.ToArray());
        }
    }

    [Fact]
    public void A_forged_signature_is_quarantined_under_its_id_with_the_reason()
    {
        var forged = Documents.First(d => d.Fault == SimulatedFault.ForgedSignature);

        var invalid = Assert.IsType<InvalidDocument>(Classify(forged));

        Assert.Equal((forged.Id, "signature-mismatch"), (invalid.Record.Record.Id, invalid.Record.ReasonCode));
        Assert.Equal(RecordVerdict.Quarantined, invalid.Record.Record.Verdict);
    }

    [Theory]
    [InlineData("{\"id\":\"00", 0)]
    [InlineData("{\"id\":17,\"vote\":{}}", 0)]
    [InlineData("[1,2,3]", 0)]
    [InlineData("{\"id\":\"ffff0000\",\"vote\":{}}", 2)]
    public void A_document_without_a_usable_id_is_quarantined_under_a_key_of_its_range(string json, int shard)
    {
        var keys = new KeySpace(4);
        var classifier = new RecordClassifier(new ReplicaId("votes", shard), keys.Ranges[shard], Validator);

        var invalid = Assert.IsType<InvalidDocument>(classifier.Classify(new SourceDocument(Encoding.UTF8.GetBytes(json), DocumentOrigin.Scan)));

        Assert.Equal(ReasonCodes.UnusableId, invalid.Record.ReasonCode);
        Assert.Equal(shard, keys.ShardOf(invalid.Record.Record.Id));
        Assert.Equal(json, Encoding.UTF8.GetString(invalid.Record.Record.Json.Span));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(64)]
    [InlineData(4096)]
    public void Every_derived_key_falls_in_the_range_it_was_made_for(int shards)
    {
        var keys = new KeySpace(shards);
        foreach (var range in keys.Ranges.Where(r => r.Shard is 0 or 1 || r.Shard == shards - 1))
        {
            var key = new RecordClassifier(new ReplicaId("bigchain", range.Shard), range, Validator).DerivedKey("x"u8);
            Assert.Equal(range.Shard, keys.ShardOf(key));
        }
    }

    [Fact]
    public void Reason_codes_are_the_validator_reasons_in_kebab_case()
    {
        Assert.Equal("signature-mismatch", ReasonCodes.Of(InvalidReason.SignatureMismatch));
        Assert.Equal("not-json", ReasonCodes.Of(InvalidReason.NotJson));
    }
}
