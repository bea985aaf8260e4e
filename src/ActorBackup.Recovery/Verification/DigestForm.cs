using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using ActorBackup.Ledger.Json;

namespace ActorBackup.Recovery.Verification;

/// <summary>
/// The bytes a document is digested as: the ledger's canonical JSON (sorted keys, compact, minimal string escapes),
/// with every number rewritten as the shortest text of the double it denotes. RethinkDB keeps numbers as doubles
/// and prints them its own way, so an archive's <c>1.0</c> comes back as <c>1</c> and <c>1e3</c> as <c>1000</c>;
/// without this the same document read from two servers would digest differently.
/// </summary>
public static class DigestForm
{
    public static byte[] Of(JsonElement document) =>
        HasNonCanonicalNumber(document) ? CanonicalJson.ToBytes(WithCanonicalNumbers(document)) : CanonicalJson.ToBytes(document);

    private static bool HasNonCanonicalNumber(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Number:
                return !IsCanonical(JsonMarshal.GetRawUtf8Value(element));
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    if (HasNonCanonicalNumber(item))
                        return true;
                }
                return false;
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    if (HasNonCanonicalNumber(property.Value))
                        return true;
                }
                return false;
            default:
                return false;
        }
    }

    private static bool IsCanonical(ReadOnlySpan<byte> token)
    {
        Span<byte> text = stackalloc byte[40];
        return !TryCanonical(token, text, out var written) || token.SequenceEqual(text[..written]);
    }

    /// <summary>False for a token that is no finite double; such a number is kept as written.</summary>
    private static bool TryCanonical(ReadOnlySpan<byte> token, Span<byte> text, out int written)
    {
        written = 0;
        return double.TryParse(token, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
            && double.IsFinite(value)
            && value.TryFormat(text, out written, "R", CultureInfo.InvariantCulture);
    }

    private static JsonNode? WithCanonicalNumbers(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Number:
                Span<byte> text = stackalloc byte[40];
                return TryCanonical(JsonMarshal.GetRawUtf8Value(element), text, out var written)
                    ? JsonValue.Create(JsonElement.Parse(text[..written]))
                    : JsonValue.Create(element);
            case JsonValueKind.Array:
                var array = new JsonArray();
                foreach (var item in element.EnumerateArray())
                    array.Add(WithCanonicalNumbers(item));
                return array;
            case JsonValueKind.Object:
                var obj = new JsonObject();
                foreach (var property in element.EnumerateObject())
                    obj[property.Name] = WithCanonicalNumbers(property.Value);
                return obj;
            default:
                return JsonValue.Create(element);
        }
    }
}
