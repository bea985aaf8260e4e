using System.Text;
using System.Text.Json.Nodes;

namespace ActorBackup.Ledger.Tests;

/// <summary>Every value of every fixture replaced by every other JSON type: validation must answer, never throw.</summary>
public class StructuralFuzzTests
{
    private static readonly LedgerValidator Deep = new(Fixtures.Federation, new LedgerValidatorOptions(Deep: true));

    private static readonly Func<JsonNode?>[] Replacements =
    [
        () => null, () => JsonValue.Create(1), () => JsonValue.Create("x"), () => new JsonArray(), () => new JsonObject(),
        () => new JsonArray(JsonValue.Create(1)), () => JsonValue.Create(true),
    ];

    public static TheoryData<string, RecordKind> Documents() => new()
    {
        { "gen_v0.10.3_block_transfer.json", RecordKind.Block },
        { "gen_v0.8.0_keccak_block_create.json", RecordKind.Block },
        { "gen_v0.6.0_keccak_block_transfer.json", RecordKind.Block },
        { "gen_v0.7.0_keccak_block_transfer.json", RecordKind.Block },
        { "gen_v0.10.3_tx_multi_transfer.json", RecordKind.Transaction },
        { "gen_v0.8.0_keccak_tx_multi_transfer.json", RecordKind.Transaction },
        { "gen_v0.7.0_keccak_tx_multi_create.json", RecordKind.Transaction },
        { "gen_v0.6.0_keccak_tx_transfer.json", RecordKind.Transaction },
        { "illustr_v0.10_votes_table_document.json", RecordKind.Vote },
    };

    [Theory]
    [MemberData(nameof(Documents))]
    public void Replacing_any_value_with_any_json_type_gives_an_answer_and_never_an_exception(string file, RecordKind kind)
    {
        var original = JsonNode.Parse(Fixtures.Bytes(file))!;
        var paths = new List<Func<JsonNode, (JsonNode Parent, object Key)>>();
        Collect(original, [], paths);
        var tried = 0;
        foreach (var locate in paths)
        {
            foreach (var replacement in Replacements)
            {
                var copy = original.DeepClone();
                var (parent, key) = locate(copy);
                if (parent is JsonObject obj)
                    obj[(string)key] = replacement();
                else
                    ((JsonArray)parent)[(int)key] = replacement();
                var result = Deep.Validate(Encoding.UTF8.GetBytes(copy.ToJsonString()), kind);
                Assert.NotNull(result.Message);
                if (kind == RecordKind.Transaction && copy is JsonObject tx && tx["id"] is JsonValue)
                {
                    // Re-hash so that the mutation reaches the signature checks instead of stopping at the id.
                    var element = System.Text.Json.JsonDocument.Parse(copy.ToJsonString()).RootElement;
                    if (TransactionVerifier.TryIdPreimage(element, out var preimage))
                    {
                        tx["id"] = LedgerHasher.ComputeHex(Fixtures.HashNamedBy(file), preimage);
                        Assert.NotNull(Deep.Validate(Encoding.UTF8.GetBytes(copy.ToJsonString()), kind).Message);
                    }
                }
                tried++;
            }
        }
        Assert.True(tried > 50);
    }

    /// <summary>Records, for every value in the tree, how to find its parent and key in a clone.</summary>
    private static void Collect(JsonNode node, List<object> path, List<Func<JsonNode, (JsonNode, object)>> into)
    {
        IEnumerable<(object Key, JsonNode? Child)> children = node switch
        {
            JsonObject obj => obj.Select(p => ((object)p.Key, p.Value)),
            JsonArray array => array.Select((c, i) => ((object)i, c)),
            _ => [],
        };
        foreach (var (key, child) in children)
        {
            var parentPath = path.ToArray();
            into.Add(root => (Walk(root, parentPath), key));
            if (child is not null)
                Collect(child, [.. path, key], into);
        }
    }

    private static JsonNode Walk(JsonNode root, object[] path) =>
        path.Aggregate(root, (node, key) => key is string name ? node[name]! : node[(int)key]!);
}
