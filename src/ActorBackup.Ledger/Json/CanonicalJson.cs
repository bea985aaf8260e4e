using System.Buffers;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ActorBackup.Ledger.Json;

/// <summary>
/// BigchainDB's <c>serialize</c>: python-rapidjson <c>dumps(sort_keys=True, ensure_ascii=False)</c>. Compact,
/// keys in byte-wise UTF-8 order, strings raw UTF-8 with minimal escapes, and number tokens copied verbatim
/// from the stored text: RethinkDB already printed them the way BigchainDB hashed them, and reformatting a
/// number here could only introduce a difference (a float that lost its ".0" must fail, not be repaired).
/// </summary>
public static class CanonicalJson
{
    public static byte[] ToBytes(JsonElement element)
    {
        using var buffer = new PooledBuffer();
        Write(element, buffer);
        return buffer.WrittenSpan.ToArray();
    }

    public static byte[] ToBytes(JsonNode? node)
    {
        using var buffer = new PooledBuffer();
        Write(node, buffer);
        return buffer.WrittenSpan.ToArray();
    }

    internal static void Write(JsonElement element, PooledBuffer output)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                WriteObject(element, output);
                break;
            case JsonValueKind.Array:
                output.Append((byte)'[');
                var first = true;
                foreach (var item in element.EnumerateArray())
                {
                    if (!first)
                        output.Append((byte)',');
                    first = false;
                    Write(item, output);
                }
                output.Append((byte)']');
                break;
            case JsonValueKind.String:
                WriteString(element, output);
                break;
            case JsonValueKind.Number:
                output.Append(JsonMarshal.GetRawUtf8Value(element));
                break;
            case JsonValueKind.True:
                output.Append("true"u8);
                break;
            case JsonValueKind.False:
                output.Append("false"u8);
                break;
            case JsonValueKind.Null:
                output.Append("null"u8);
                break;
            default:
                throw new CanonicalJsonException($"Cannot serialize a JSON {element.ValueKind}.");
        }
    }

    internal static void Write(JsonNode? node, PooledBuffer output)
    {
        switch (node)
        {
            case null:
                output.Append("null"u8);
                break;
            case JsonObject obj:
                WriteObject(obj, output);
                break;
            case JsonArray array:
                output.Append((byte)'[');
                for (var i = 0; i < array.Count; i++)
                {
                    if (i > 0)
                        output.Append((byte)',');
                    Write(array[i], output);
                }
                output.Append((byte)']');
                break;
            case JsonValue value when value.TryGetValue<JsonElement>(out var element):
                Write(element, output);
                break;
            case JsonValue value:
                WriteScalar(value, output);
                break;
            default:
                throw new CanonicalJsonException($"Cannot serialize a {node.GetType().Name}.");
        }
    }

    private static void WriteScalar(JsonValue value, PooledBuffer output)
    {
        if (value.TryGetValue<string>(out var text))
            JsonStringEscaper.WriteQuoted(Encoding.UTF8.GetBytes(text), output);
        else if (value.TryGetValue<bool>(out var flag))
            output.Append(flag ? "true"u8 : "false"u8);
        else if (value.TryGetValue<long>(out var integer))
            output.Append(Encoding.ASCII.GetBytes(integer.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        else if (value.TryGetValue<int>(out var small))
            output.Append(Encoding.ASCII.GetBytes(small.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        else
            throw new CanonicalJsonException("Only strings, booleans and integers can be added to a canonical document.");
    }

    private static void WriteString(JsonElement element, PooledBuffer output)
    {
        var raw = JsonMarshal.GetRawUtf8Value(element);
        var content = raw[1..^1];
        // Without a backslash the stored text holds no quote or control character, so it is already canonical.
        if (content.IndexOf((byte)'\\') < 0)
            output.Append(raw);
        else
            JsonStringEscaper.WriteQuoted(Encoding.UTF8.GetBytes(element.GetString()!), output);
    }

    private readonly record struct Entry(JsonProperty Property, byte[]? DecodedName)
    {
        public ReadOnlySpan<byte> Name => DecodedName ?? JsonMarshal.GetRawUtf8PropertyName(Property);
    }

    private static void WriteObject(JsonElement element, PooledBuffer output)
    {
        var count = element.GetPropertyCount();
        var entries = ArrayPool<Entry>.Shared.Rent(count);
        try
        {
            var n = 0;
            foreach (var property in element.EnumerateObject())
            {
                var raw = JsonMarshal.GetRawUtf8PropertyName(property);
                entries[n++] = new Entry(property, raw.IndexOf((byte)'\\') < 0 ? null : Encoding.UTF8.GetBytes(property.Name));
            }
            var span = entries.AsSpan(0, n);
            span.Sort(static (a, b) => a.Name.SequenceCompareTo(b.Name));

            output.Append((byte)'{');
            for (var i = 0; i < span.Length; i++)
            {
                var name = span[i].Name;
                if (i > 0)
                {
                    if (name.SequenceEqual(span[i - 1].Name))
                        throw new CanonicalJsonException($"The key \"{span[i].Property.Name}\" appears twice in one object.");
                    output.Append((byte)',');
                }
                JsonStringEscaper.WriteQuoted(name, output);
                output.Append((byte)':');
                Write(span[i].Property.Value, output);
            }
            output.Append((byte)'}');
        }
        finally
        {
            ArrayPool<Entry>.Shared.Return(entries, clearArray: true);
        }
    }

    private static void WriteObject(JsonObject obj, PooledBuffer output)
    {
        var entries = new (byte[] Name, JsonNode? Value)[obj.Count];
        var n = 0;
        foreach (var (key, value) in obj)
            entries[n++] = (Encoding.UTF8.GetBytes(key), value);
        Array.Sort(entries, static (a, b) => a.Name.AsSpan().SequenceCompareTo(b.Name));
        output.Append((byte)'{');
        for (var i = 0; i < entries.Length; i++)
        {
            if (i > 0)
                output.Append((byte)',');
            JsonStringEscaper.WriteQuoted(entries[i].Name, output);
            output.Append((byte)':');
            Write(entries[i].Value, output);
        }
        output.Append((byte)'}');
    }
}
