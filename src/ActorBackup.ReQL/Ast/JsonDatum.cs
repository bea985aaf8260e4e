using System.Runtime.InteropServices;
using System.Text.Json;

namespace ActorBackup.ReQL.Ast;

/// <summary>
/// A parsed JSON value sent as ReQL: arrays wrapped in MAKE_ARRAY (recursively), objects as objects of terms,
/// and every number and string token copied byte for byte from the source text. BigchainDB ids are hashes
/// over the exact serialization, so 1.0 must stay 1.0 and 12345678901234567890 must not be rounded.
/// Objects carrying <c>$reql_type$</c> (TIME, BINARY, GEOMETRY…) are pseudo-types and pass through unchanged.
/// </summary>
public sealed class JsonDatum : ReqlExpr
{
    private static readonly byte[] ReqlTypeKey = "$reql_type$"u8.ToArray();

    /// <param name="value">Cloned unless it already is, so the caller may dispose the source document.</param>
    internal JsonDatum(JsonElement value) => Value = value.ValueKind == JsonValueKind.Undefined
        ? throw new ArgumentException("A default (undefined) JsonElement is not a ReQL datum.")
        : value.Clone();

    public JsonElement Value { get; }

    public override void WriteTo(Utf8JsonWriter writer) => Write(writer, Value);

    private static void Write(Utf8JsonWriter writer, JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Array:
                writer.WriteStartArray();
                writer.WriteNumberValue((int)TermType.MakeArray);
                writer.WriteStartArray();
                foreach (var item in element.EnumerateArray())
                    Write(writer, item);
                writer.WriteEndArray();
                writer.WriteEndArray();
                break;
            case JsonValueKind.Object when element.TryGetProperty(ReqlTypeKey, out _):
                element.WriteTo(writer);
                break;
            case JsonValueKind.Object:
                writer.WriteStartObject();
                foreach (var property in element.EnumerateObject())
                {
                    WritePropertyName(writer, property);
                    Write(writer, property.Value);
                }
                writer.WriteEndObject();
                break;
            case JsonValueKind.Number:
            case JsonValueKind.String:
                writer.WriteRawValue(JsonMarshal.GetRawUtf8Value(element), skipInputValidation: true);
                break;
            case JsonValueKind.True:
            case JsonValueKind.False:
                writer.WriteBooleanValue(element.ValueKind == JsonValueKind.True);
                break;
            case JsonValueKind.Null:
                writer.WriteNullValue();
                break;
            default:
                throw new InvalidOperationException($"A JSON value of kind {element.ValueKind} cannot be written.");
        }
    }

    private static void WritePropertyName(Utf8JsonWriter writer, JsonProperty property)
    {
        var raw = JsonMarshal.GetRawUtf8PropertyName(property);
        // The raw name is still JSON-escaped; the writer would escape a backslash a second time.
        if (raw.IndexOf((byte)'\\') < 0)
            writer.WritePropertyName(raw);
        else
            writer.WritePropertyName(property.Name);
    }
}
