using System.Buffers;
using System.Text;
using System.Text.Json;

namespace ActorBackup.Recovery.Archive;

/// <summary>
/// Re-serializes raw JSON exactly as Python's default <c>json.dumps</c> prints the value it parsed: separators
/// <c>", "</c> and <c>": "</c>, <c>ensure_ascii</c> (every character outside space..tilde as a lowercase
/// <c>\uXXXX</c>, astral characters as surrogate pairs), keys in document order. Number tokens are copied verbatim
/// so no value changes on the way through.
/// </summary>
public static class PythonJson
{
    private const int MaxDepth = 1000;

    private static ReadOnlySpan<byte> Hex => "0123456789abcdef"u8;

    /// <summary>Appends one JSON value, given as UTF-8 text, in Python's format. Throws <see cref="JsonException"/> on invalid JSON.</summary>
    public static void Write(ReadOnlySpan<byte> json, IBufferWriter<byte> output)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = MaxDepth });
        // One bit per open container: whether it already holds an element (so the next needs a separator).
        Span<bool> hasElement = stackalloc bool[MaxDepth + 1];
        var depth = 0;
        var afterPropertyName = false;
        while (reader.Read())
        {
            var token = reader.TokenType;
            var closes = token is JsonTokenType.EndObject or JsonTokenType.EndArray;
            if (!closes && afterPropertyName)
            {
                afterPropertyName = false;
            }
            else if (!closes && depth > 0)
            {
                if (hasElement[depth])
                    Append(output, ", "u8);
                hasElement[depth] = true;
                afterPropertyName = token == JsonTokenType.PropertyName;
            }
            switch (token)
            {
                case JsonTokenType.StartObject:
                    Append(output, "{"u8);
                    hasElement[++depth] = false;
                    break;
                case JsonTokenType.StartArray:
                    Append(output, "["u8);
                    hasElement[++depth] = false;
                    break;
                case JsonTokenType.EndObject:
                    Append(output, "}"u8);
                    depth--;
                    break;
                case JsonTokenType.EndArray:
                    Append(output, "]"u8);
                    depth--;
                    break;
                case JsonTokenType.PropertyName:
                    WriteString(reader.ValueSpan, output);
                    Append(output, ": "u8);
                    break;
                case JsonTokenType.String:
                    WriteString(reader.ValueSpan, output);
                    break;
                case JsonTokenType.Number:
                    Append(output, reader.ValueSpan);
                    break;
                case JsonTokenType.True:
                    Append(output, "true"u8);
                    break;
                case JsonTokenType.False:
                    Append(output, "false"u8);
                    break;
                case JsonTokenType.Null:
                    Append(output, "null"u8);
                    break;
                default:
                    throw new JsonException($"Unexpected JSON token {token}.");
            }
        }
    }

    /// <summary>Appends one JSON value in Python's format.</summary>
    public static void Write(JsonElement value, IBufferWriter<byte> output) =>
        Write(System.Runtime.InteropServices.JsonMarshal.GetRawUtf8Value(value), output);

    /// <summary>The value in Python's format, as a string (for tests and small metadata).</summary>
    public static string Format(ReadOnlySpan<byte> json)
    {
        var buffer = new ArrayBufferWriter<byte>();
        Write(json, buffer);
        return Encoding.ASCII.GetString(buffer.WrittenSpan);
    }

    private static void WriteString(ReadOnlySpan<byte> raw, IBufferWriter<byte> output)
    {
        Append(output, "\""u8);
        var i = 0;
        while (i < raw.Length)
        {
            var safe = i;
            while (safe < raw.Length && raw[safe] is >= 0x20 and < 0x7F and not (byte)'"' and not (byte)'\\')
                safe++;
            if (safe > i)
            {
                Append(output, raw[i..safe]);
                i = safe;
                continue;
            }
            var b = raw[i];
            if (b == '\\')
            {
                var (unit, length) = Unescape(raw[i..]);
                WriteCodeUnit(unit, output);
                i += length;
            }
            else if (b < 0x80)
            {
                WriteCodeUnit((char)b, output);
                i++;
            }
            else
            {
                if (Rune.DecodeFromUtf8(raw[i..], out var rune, out var consumed) != OperationStatus.Done)
                    throw new JsonException("A string holds bytes that are not valid UTF-8.");
                if (rune.IsBmp)
                {
                    WriteCodeUnit((char)rune.Value, output);
                }
                else
                {
                    var astral = rune.Value - 0x10000;
                    WriteCodeUnit((char)(0xD800 + (astral >> 10)), output);
                    WriteCodeUnit((char)(0xDC00 + (astral & 0x3FF)), output);
                }
                i += consumed;
            }
        }
        Append(output, "\""u8);
    }

    private static (char Unit, int Length) Unescape(ReadOnlySpan<byte> escape)
    {
        switch (escape[1])
        {
            case (byte)'"': return ('"', 2);
            case (byte)'\\': return ('\\', 2);
            case (byte)'/': return ('/', 2);
            case (byte)'b': return ('\b', 2);
            case (byte)'f': return ('\f', 2);
            case (byte)'n': return ('\n', 2);
            case (byte)'r': return ('\r', 2);
            case (byte)'t': return ('\t', 2);
            case (byte)'u':
                var value = 0;
                for (var k = 2; k < 6; k++)
                    value = value * 16 + HexValue(escape[k]);
                return ((char)value, 6);
            default:
                throw new JsonException($"Invalid escape '\\{(char)escape[1]}' in a string.");
        }
    }

    private static int HexValue(byte b) => b switch
    {
        >= (byte)'0' and <= (byte)'9' => b - '0',
        >= (byte)'a' and <= (byte)'f' => b - 'a' + 10,
        >= (byte)'A' and <= (byte)'F' => b - 'A' + 10,
        _ => throw new JsonException("Invalid \\u escape in a string."),
    };

    private static void WriteCodeUnit(char c, IBufferWriter<byte> output)
    {
        switch (c)
        {
            case '"': Append(output, "\\\""u8); return;
            case '\\': Append(output, "\\\\"u8); return;
            case '\n': Append(output, "\\n"u8); return;
            case '\r': Append(output, "\\r"u8); return;
            case '\t': Append(output, "\\t"u8); return;
            case '\b': Append(output, "\\b"u8); return;
            case '\f': Append(output, "\\f"u8); return;
        }
        var span = output.GetSpan(6);
        if (c is >= ' ' and <= '~')
        {
            span[0] = (byte)c;
            output.Advance(1);
            return;
        }
        span[0] = (byte)'\\';
        span[1] = (byte)'u';
        span[2] = Hex[c >> 12];
        span[3] = Hex[(c >> 8) & 0xF];
        span[4] = Hex[(c >> 4) & 0xF];
        span[5] = Hex[c & 0xF];
        output.Advance(6);
    }

    private static void Append(IBufferWriter<byte> output, ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(output.GetSpan(bytes.Length));
        output.Advance(bytes.Length);
    }
}
