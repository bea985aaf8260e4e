using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using ActorBackup.Ledger.Crypto;

namespace ActorBackup.Cluster.Serialization.Documents;

/// <summary>
/// A lossless compact form of a JSON document written without whitespace, as RethinkDB and reqlite send them: each
/// field name is spelled once per document and then named by its number, and strings that are hex, base58, UUIDs or
/// decimal digits (ids, hashes, keys, signatures, timestamps) are kept as the bytes or number they spell. Unpacking
/// gives the original bytes back exactly; a document this form cannot give back exactly (whitespace, a number or
/// escape written unusually, not JSON at all) is kept as it is, behind <see cref="RawTag"/>.
/// </summary>
/// <remarks>
/// Dense binary instead of text matters after compression too: Huffman coding cannot bring a hash spelled in hex
/// below four bits per character when the same literals also hold JSON punctuation and base58, so a 32-byte hash
/// costs nearer 48 bytes as hex text than 32 as bytes.
/// </remarks>
public static class JsonPacker
{
    /// <summary>First byte of a document kept verbatim.</summary>
    public const byte RawTag = 0xFF;

    /// <summary>First byte of a packed document (format 1).</summary>
    public const byte PackedTag = 0x01;

    private const byte End = 0, ObjectStart = 1, ArrayStart = 2, Null = 3, True = 4, False = 5, NumberText = 6, Integer = 7,
        Text = 8, Hex = 9, Base58Text = 10, Uuid = 11, Digits = 12;

    // Real documents nest about 8 deep; deeper ones are kept verbatim rather than recursed into.
    private const int MaxDepth = 64;

    /// <summary>The packed form of <paramref name="json"/>, or the verbatim form when packing would not give it back exactly.</summary>
    public static byte[] Pack(ReadOnlySpan<byte> json)
    {
        var packed = TryPack(json);
        if (packed is not null && Unpacks(packed, json)) return packed;
        var raw = new byte[json.Length + 1];
        raw[0] = RawTag;
        json.CopyTo(raw.AsSpan(1));
        return raw;
    }

    /// <summary>The original JSON bytes of a form written by <see cref="Pack"/>.</summary>
    /// <exception cref="InvalidDataException">The bytes are not such a form.</exception>
    public static byte[] Unpack(ReadOnlySpan<byte> form)
    {
        if (form.IsEmpty) throw new InvalidDataException("an empty packed document");
        if (form[0] == RawTag) return form[1..].ToArray();
        if (form[0] != PackedTag) throw new InvalidDataException($"a packed document of unknown format {form[0]}");
        var output = new ArrayBufferWriter<byte>(form.Length * 2);
        var reader = new FormReader(form[1..]);
        var keys = new List<byte[]>();
        WriteValue(ref reader, output, keys, reader.Byte(), 0);
        if (!reader.AtEnd) throw new InvalidDataException("bytes left over after a packed document");
        return output.WrittenSpan.ToArray();
    }

    private static bool Unpacks(byte[] packed, ReadOnlySpan<byte> json)
    {
        try
        {
            return Unpack(packed).AsSpan().SequenceEqual(json);
        }
        catch (InvalidDataException)
        {
            return false;
        }
    }

    private static byte[]? TryPack(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = MaxDepth });
        var output = new ArrayBufferWriter<byte>(Math.Max(1, json.Length));
        output.GetSpan(1)[0] = PackedTag;
        output.Advance(1);
        var keys = new Dictionary<string, int>(StringComparer.Ordinal);
        try
        {
            if (!reader.Read()) return null;
            PackValue(ref reader, output, keys);
            if (reader.Read()) return null;
        }
        catch (JsonException)
        {
            return null;
        }
        return reader.BytesConsumed == json.Length ? output.WrittenSpan.ToArray() : null;
    }

    private static void PackValue(ref Utf8JsonReader reader, ArrayBufferWriter<byte> output, Dictionary<string, int> keys)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject:
                Put(output, ObjectStart);
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    var name = Encoding.UTF8.GetString(reader.HasValueSequence ? reader.ValueSequence.ToArray() : reader.ValueSpan);
                    if (keys.TryGetValue(name, out var known))
                    {
                        Varint(output, (ulong)known + 1);
                    }
                    else
                    {
                        Varint(output, (ulong)keys.Count + 1);
                        keys[name] = keys.Count;
                        Block(output, Encoding.UTF8.GetBytes(name));
                    }
                    reader.Read();
                    PackValue(ref reader, output, keys);
                }
                Put(output, End);
                break;
            case JsonTokenType.StartArray:
                Put(output, ArrayStart);
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                    PackValue(ref reader, output, keys);
                Put(output, End);
                break;
            case JsonTokenType.Null:
                Put(output, Null);
                break;
            case JsonTokenType.True:
                Put(output, True);
                break;
            case JsonTokenType.False:
                Put(output, False);
                break;
            case JsonTokenType.Number:
                {
                    var text = reader.ValueSpan;
                    if (text.Length <= 18 && long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number)
                        && number.ToString(CultureInfo.InvariantCulture).AsSpan().SequenceEqual(Encoding.ASCII.GetString(text)))
                    {
                        Put(output, Integer);
                        Varint(output, (ulong)((number << 1) ^ (number >> 63)));
                    }
                    else
                    {
                        Put(output, NumberText);
                        Block(output, text);
                    }
                    break;
                }
            case JsonTokenType.String:
                PackString(reader.HasValueSequence ? reader.ValueSequence.ToArray() : reader.ValueSpan, output);
                break;
            default:
                throw new JsonException($"unexpected {reader.TokenType}");
        }
    }

    /// <summary>A string by what it spells; <paramref name="raw"/> is its content as written, escapes included.</summary>
    private static void PackString(ReadOnlySpan<byte> raw, ArrayBufferWriter<byte> output)
    {
        if (raw.Length >= 16 && raw.Length % 2 == 0 && IsLowerHex(raw))
        {
            Put(output, Hex);
            Block(output, Convert.FromHexString(Encoding.ASCII.GetString(raw)));
        }
        else if (raw.Length == 36 && TryUuid(raw, out var uuid))
        {
            Put(output, Uuid);
            output.Write(uuid);
        }
        else if (raw.Length is > 0 and <= 18 && IsDigits(raw) && (raw[0] != (byte)'0' || raw.Length == 1))
        {
            Put(output, Digits);
            Varint(output, ulong.Parse(raw, CultureInfo.InvariantCulture));
        }
        else if (raw.Length is >= 20 and <= 128 && TryBase58(raw, out var bytes))
        {
            Put(output, Base58Text);
            Block(output, bytes);
        }
        else
        {
            Put(output, Text);
            Block(output, raw);
        }
    }

    private static bool TryBase58(ReadOnlySpan<byte> raw, out byte[] bytes)
    {
        Span<byte> buffer = stackalloc byte[raw.Length];
        if (Base58.TryDecode(raw, buffer, out var written))
        {
            bytes = buffer[..written].ToArray();
            // Only a spelling the encoder gives back exactly (leading '1's for leading zero bytes).
            if (Encoding.ASCII.GetBytes(Base58.Encode(bytes)).AsSpan().SequenceEqual(raw)) return true;
        }
        bytes = [];
        return false;
    }

    private static bool TryUuid(ReadOnlySpan<byte> raw, out byte[] uuid)
    {
        uuid = [];
        if (raw[8] != '-' || raw[13] != '-' || raw[18] != '-' || raw[23] != '-') return false;
        Span<byte> hex = stackalloc byte[32];
        raw[..8].CopyTo(hex);
        raw[9..13].CopyTo(hex[8..]);
        raw[14..18].CopyTo(hex[12..]);
        raw[19..23].CopyTo(hex[16..]);
        raw[24..].CopyTo(hex[20..]);
        if (!IsLowerHex(hex)) return false;
        uuid = Convert.FromHexString(Encoding.ASCII.GetString(hex));
        return true;
    }

    private static bool IsLowerHex(ReadOnlySpan<byte> s) => s.IndexOfAnyExcept("0123456789abcdef"u8) < 0;

    private static bool IsDigits(ReadOnlySpan<byte> s) => s.IndexOfAnyExcept("0123456789"u8) < 0;

    private static void WriteValue(ref FormReader reader, ArrayBufferWriter<byte> output, List<byte[]> keys, byte tag, int depth)
    {
        if (depth > MaxDepth) throw new InvalidDataException("a packed document nests too deep");
        switch (tag)
        {
            case ObjectStart:
                {
                    output.Write("{"u8);
                    var first = true;
                    while (true)
                    {
                        var next = reader.Varint();
                        if (next == End) break;
                        // Key numbers are shifted by one so that End (0) can close the object.
                        var index = (int)Math.Min(next - 1, int.MaxValue);
                        if (index == keys.Count) keys.Add(reader.Block().ToArray());
                        else if (index > keys.Count) throw new InvalidDataException($"field name {index} before it was spelled");
                        if (!first) output.Write(","u8);
                        first = false;
                        output.Write("\""u8);
                        output.Write(keys[index]);
                        output.Write("\":"u8);
                        WriteValue(ref reader, output, keys, reader.Byte(), depth + 1);
                    }
                    output.Write("}"u8);
                    break;
                }
            case ArrayStart:
                {
                    output.Write("["u8);
                    var first = true;
                    while (reader.Byte() is var item && item != End)
                    {
                        if (!first) output.Write(","u8);
                        first = false;
                        WriteValue(ref reader, output, keys, item, depth + 1);
                    }
                    output.Write("]"u8);
                    break;
                }
            case Null:
                output.Write("null"u8);
                break;
            case True:
                output.Write("true"u8);
                break;
            case False:
                output.Write("false"u8);
                break;
            case NumberText:
                output.Write(reader.Block());
                break;
            case Integer:
                {
                    var zigzag = reader.Varint();
                    var value = (long)(zigzag >> 1) ^ -(long)(zigzag & 1);
                    output.Write(Encoding.ASCII.GetBytes(value.ToString(CultureInfo.InvariantCulture)));
                    break;
                }
            case Text:
                Quoted(output, reader.Block());
                break;
            case Hex:
                Quoted(output, Encoding.ASCII.GetBytes(Convert.ToHexStringLower(reader.Block())));
                break;
            case Base58Text:
                Quoted(output, Encoding.ASCII.GetBytes(Base58.Encode(reader.Block())));
                break;
            case Uuid:
                {
                    var hex = Convert.ToHexStringLower(reader.Bytes(16));
                    Quoted(output, Encoding.ASCII.GetBytes($"{hex[..8]}-{hex[8..12]}-{hex[12..16]}-{hex[16..20]}-{hex[20..]}"));
                    break;
                }
            case Digits:
                Quoted(output, Encoding.ASCII.GetBytes(reader.Varint().ToString(CultureInfo.InvariantCulture)));
                break;
            default:
                throw new InvalidDataException($"unknown tag {tag} in a packed document");
        }
    }

    private static void Quoted(ArrayBufferWriter<byte> output, ReadOnlySpan<byte> content)
    {
        output.Write("\""u8);
        output.Write(content);
        output.Write("\""u8);
    }

    private static void Put(ArrayBufferWriter<byte> output, byte value)
    {
        output.GetSpan(1)[0] = value;
        output.Advance(1);
    }

    private static void Block(ArrayBufferWriter<byte> output, ReadOnlySpan<byte> bytes)
    {
        Varint(output, (ulong)bytes.Length);
        output.Write(bytes);
    }

    private static void Varint(ArrayBufferWriter<byte> output, ulong value)
    {
        var span = output.GetSpan(10);
        var i = 0;
        while (value >= 0x80)
        {
            span[i++] = (byte)(value | 0x80);
            value >>= 7;
        }
        span[i++] = (byte)value;
        output.Advance(i);
    }

    private ref struct FormReader(ReadOnlySpan<byte> bytes)
    {
        private readonly ReadOnlySpan<byte> _bytes = bytes;
        private int _position;

        public readonly bool AtEnd => _position == _bytes.Length;

        public byte Byte()
        {
            if (_position >= _bytes.Length) throw new InvalidDataException("a packed document ends early");
            return _bytes[_position++];
        }

        public ulong Varint()
        {
            ulong value = 0;
            for (var shift = 0; shift < 64; shift += 7)
            {
                var b = Byte();
                value |= (ulong)(b & 0x7F) << shift;
                if (b < 0x80) return value;
            }
            throw new InvalidDataException("a varint runs past 64 bits");
        }

        public ReadOnlySpan<byte> Block() => Bytes((int)Math.Min(Varint(), int.MaxValue));

        public ReadOnlySpan<byte> Bytes(int length)
        {
            if (length > _bytes.Length - _position) throw new InvalidDataException($"a block of {length} bytes runs past the end");
            var span = _bytes.Slice(_position, length);
            _position += length;
            return span;
        }
    }
}
