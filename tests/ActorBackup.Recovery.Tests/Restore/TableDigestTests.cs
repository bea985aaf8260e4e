using System.Text.Json;
using ActorBackup.Recovery.Verification;

namespace ActorBackup.Recovery.Tests.Restore;

public class TableDigestTests
{
    private static TableDigest Of(string json) => TableDigest.Of(JsonElement.Parse(json));

    [Fact]
    public void The_digest_of_a_set_does_not_depend_on_the_order_the_documents_are_added()
    {
        var documents = Enumerable.Range(0, 50).Select(i => $$"""{"id":{{i}},"v":"x{{i}}"}""").ToList();

        var forward = documents.Aggregate(TableDigest.Empty, (d, j) => d + Of(j));
        var backward = Enumerable.Reverse(documents).Aggregate(TableDigest.Empty, (d, j) => d + Of(j));

        Assert.Equal(forward, backward);
        Assert.NotEqual(TableDigest.Empty, forward);
    }

    [Fact]
    public void The_same_document_serialized_differently_by_two_servers_has_the_same_digest()
    {
        var asDumped = """{"id": "b1", "name": "Gr\u00fc\u00dfe", "n": 1.0, "big": 1e3, "list": [0.50, {"z": 1, "a": 2}]}""";
        var asReadBack = """{"big":1000,"id":"b1","list":[0.5,{"a":2,"z":1}],"n":1,"name":"Grüße"}""";

        Assert.Equal(Of(asDumped), Of(asReadBack));
    }

    [Fact]
    public void Documents_that_differ_in_any_value_have_different_digests()
    {
        Assert.NotEqual(Of("""{"id":"a","n":1}"""), Of("""{"id":"a","n":2}"""));
        Assert.NotEqual(Of("""{"id":"a","s":"1"}"""), Of("""{"id":"a","s":1}"""));
        Assert.NotEqual(Of("""{"id":"a"}""") + Of("""{"id":"a"}"""), Of("""{"id":"a"}"""));
    }

    [Fact]
    public void Addition_carries_across_all_256_bits_and_wraps_modulo_2_to_the_256()
    {
        var allOnes = new TableDigest(ulong.MaxValue, ulong.MaxValue, ulong.MaxValue, ulong.MaxValue);
        var one = new TableDigest(1, 0, 0, 0);

        Assert.Equal(TableDigest.Empty, allOnes + one);
        Assert.Equal(new TableDigest(0, 1, 0, 0), new TableDigest(ulong.MaxValue, 0, 0, 0) + one);
        Assert.Equal("0000000000000000000000000000000000000000000000010000000000000000", new TableDigest(0, 1, 0, 0).ToString());
    }
}
