using System.Buffers;
using System.Buffers.Text;
using System.Globalization;
using System.Runtime.InteropServices;
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
/// <para>
/// Format 2 (<see cref="ExtendedTag"/>) adds two forms, and is written only by documents that use them, so a document
/// without them keeps the bytes of format 1:
/// a string holding a base64url run between colons (crypto-condition URIs and fulfillments, <c>cf:4:…</c>,
/// <c>cc:4:20:…:96</c>) keeps the run as the bytes it spells, which are then the same bytes as the public key written in
/// base58 beside it, and zstd finds the repeat; and an <c>id</c> member whose value is a 64-digit hex SHA3-256 or
/// Keccak-256 of what the document itself holds is not kept at all but computed again when the document is unpacked:
/// the hash of an earlier object or array member of the same object as written (a block's id hashes its
/// <c>block</c>), or of the object itself as a transaction id hashes it (<see cref="IdPreimage"/>). Only the first
/// <c>id</c> member of an object is tried, so packing hashes each object at most a few times. A version that knows
/// only format 1 refuses format 2 with "unknown format 2" rather than misreading it.
/// </para>
/// <para>
/// Format 3 (<see cref="InternedTag"/>) adds one form to those of format 2, and is written only by documents that use
/// it: a 64-digit hex string whose hash the node has interned (<see cref="InternedHashes"/>) is kept as its number
/// there. Such a document reads only with the prefix of that table it was packed with (<see cref="InternedPrefix"/>),
/// which the node's journal holds and its payload vouches for.
/// </para>
/// </remarks>
public static class JsonPacker
{
    /// <summary>First byte of a document kept verbatim.</summary>
    public const byte RawTag = 0xFF;

    /// <summary>First byte of a packed document (format 1).</summary>
    public const byte PackedTag = 0x01;

    /// <summary>First byte of a packed document that uses the forms of format 2 (base64url runs, derived hashes).</summary>
    public const byte ExtendedTag = 0x02;

    /// <summary>First byte of a packed document that names interned hashes (format 3), and may use the forms of format 2.</summary>
    public const byte InternedTag = 0x03;

    private const byte End = 0, ObjectStart = 1, ArrayStart = 2, Null = 3, True = 4, False = 5, NumberText = 6, Integer = 7,
        Text = 8, Hex = 9, Base58Text = 10, Uuid = 11, Digits = 12,
        // Format 2 only.
        Base64UrlText = 13, DerivedHash = 14, DerivedId = 15,
        // Format 3 only.
        InternedHash = 16;

    // A base64url run shorter than this is left as text: it saves a byte or two at most.
    private const int MinBase64UrlRun = 22;

    // Packing takes base58 strings of at most 128 characters, which spell at most this many bytes.
    private const int MaxBase58Bytes = 96;

    /// <summary>
    /// Most bytes a document unpacks to. A stored document is at most a batch (actorbackup.batch.max-bytes, 16 MiB at
    /// most); a form that spells more, by naming a long field name or value again and again, is refused.
    /// </summary>
    public const int MaxDocumentBytes = 64 * 1024 * 1024;

    // Derived ids hash what the document holds: packing tries at most this many times the document's bytes, and
    // unpacking hashes at most this many times what it has written, plus HashAllowance. A block hashes its block and each
    // transaction once (twice with a Keccak-era document, which fails SHA3 first); only a hostile form nests more.
    private const int HashesPerByte = 8;
    private const int HashAllowance = 64 * 1024;

    // Real documents nest about 8 deep; deeper ones are kept verbatim rather than recursed into.
    private const int MaxDepth = 64;

    /// <summary>The packed form of <paramref name="json"/>, or the verbatim form when packing would not give it back exactly.</summary>
    /// <param name="hashes">The node's interned hashes, named by their numbers; null to keep every hash as its bytes.</param>
    /// <param name="newIn">
    /// The replica (<see cref="AtRest.ReplicaKeyOf"/>) the document is written into for the first time, whose hashes
    /// count as met there (<see cref="InternedHashes.Met"/>); null when it is written again.
    /// </param>
    public static byte[] Pack(ReadOnlySpan<byte> json, InternedPrefix? hashes = null, int? newIn = null)
    {
        var packed = TryPack(json, hashes, newIn);
        if (packed is not null && Unpacks(packed, json, hashes)) return packed;
        var raw = new byte[json.Length + 1];
        raw[0] = RawTag;
        json.CopyTo(raw.AsSpan(1));
        return raw;
    }

    /// <summary>The original JSON bytes of a form written by <see cref="Pack"/>.</summary>
    /// <param name="hashes">The interned hashes it was packed with; null when it was packed without.</param>
    /// <exception cref="InvalidDataException">The bytes are not such a form, or name a hash <paramref name="hashes"/> does not hold.</exception>
    public static byte[] Unpack(ReadOnlySpan<byte> form, InternedPrefix? hashes = null)
    {
        if (form.IsEmpty) throw new InvalidDataException("an empty packed document");
        if (form[0] == RawTag) return form[1..].ToArray();
        if (form[0] is not (PackedTag or ExtendedTag or InternedTag)) throw new InvalidDataException($"a packed document of unknown format {form[0]}");
        var output = new ArrayBufferWriter<byte>((int)Math.Min(form.Length * 2L, 1 << 20));
        var reader = new FormReader(form[1..], form[0], hashes);
        var keys = new List<byte[]>();
        WriteValue(ref reader, output, keys, reader.Byte(), 0);
        if (!reader.AtEnd) throw new InvalidDataException("bytes left over after a packed document");
        return output.WrittenSpan.ToArray();
    }

    private static bool Unpacks(byte[] packed, ReadOnlySpan<byte> json, InternedPrefix? hashes)
    {
        try
        {
            return Unpack(packed, hashes).AsSpan().SequenceEqual(json);
        }
        catch (Exception e) when (e is InvalidDataException or ArgumentException or OutOfMemoryException)
        {
            // Kept verbatim rather than in a form that does not give it back.
            return false;
        }
    }

    private static byte[]? TryPack(ReadOnlySpan<byte> json, InternedPrefix? hashes, int? newIn)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = MaxDepth });
        var output = new ArrayBufferWriter<byte>(Math.Max(1, json.Length));
        output.GetSpan(1)[0] = PackedTag;
        output.Advance(1);
        var state = new PackState((long)json.Length * HashesPerByte + HashAllowance, hashes, newIn);
        try
        {
            if (!reader.Read()) return null;
            PackValue(ref reader, json, output, state);
            if (reader.Read()) return null;
        }
        catch (JsonException)
        {
            return null;
        }
        if (reader.BytesConsumed != json.Length) return null;
        var packed = output.WrittenSpan.ToArray();
        packed[0] = state.Format;
        return packed;
    }

    /// <summary>
    /// What packing one document learns as it goes: the field names spelled so far, and the format its forms need
    /// (the tag of the first format that has them all).
    /// </summary>
    private sealed class PackState(long hashBudget, InternedPrefix? hashes, int? newIn)
    {
        public Dictionary<string, int> Keys { get; } = new(StringComparer.Ordinal);

        public byte Format { get; private set; } = PackedTag;

        public InternedPrefix? Hashes => hashes;

        public int? NewIn => newIn;

        public void Uses(byte format) => Format = Math.Max(Format, format);

        /// <summary>Takes the bytes of two hashes of <paramref name="bytes"/> from the budget; false when it has too few left.</summary>
        public bool MayHash(int bytes)
        {
            if (hashBudget < 2L * bytes) return false;
            hashBudget -= 2L * bytes;
            return true;
        }
    }

    private static void PackValue(ref Utf8JsonReader reader, ReadOnlySpan<byte> json, ArrayBufferWriter<byte> output, PackState state)
    {
        var keys = state.Keys;
        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject:
                Put(output, ObjectStart);
                var atObject = reader;
                // Where each value of this object lies in the document, by field: a derived hash names the value it hashes.
                List<(int Start, int End)>? values = null;
                var idTried = false;
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    var memberStart = (int)reader.TokenStartIndex;
                    var isId = !idTried && !reader.ValueIsEscaped && reader.ValueSpan.SequenceEqual("id"u8);
                    idTried |= isId;
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
                    var start = (int)reader.TokenStartIndex;
                    if (isId && TryPackDerivedId(ref reader, json, atObject, memberStart, values, output, state)) state.Uses(ExtendedTag);
                    else PackValue(ref reader, json, output, state);
                    (values ??= []).Add((start, (int)reader.BytesConsumed));
                }
                Put(output, End);
                break;
            case JsonTokenType.StartArray:
                Put(output, ArrayStart);
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                    PackValue(ref reader, json, output, state);
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
                PackString(reader.HasValueSequence ? reader.ValueSequence.ToArray() : reader.ValueSpan, output, state);
                break;
            default:
                throw new JsonException($"unexpected {reader.TokenType}");
        }
    }

    /// <summary>
    /// Writes the current value, an <c>id</c> member's, as a <see cref="DerivedHash"/> when it is a 64-digit lowercase hex
    /// string equal to the SHA3-256 or Keccak-256 of an earlier object or array value of the same object as written in
    /// <paramref name="json"/>, or as a <see cref="DerivedId"/> when it is that of the object's <see cref="IdPreimage"/>.
    /// </summary>
    /// <param name="atObject">The reader at the start of the object.</param>
    /// <param name="memberStart">Where the member's name starts.</param>
    private static bool TryPackDerivedId(ref Utf8JsonReader reader, ReadOnlySpan<byte> json, Utf8JsonReader atObject, int memberStart,
        List<(int Start, int End)>? values, ArrayBufferWriter<byte> output, PackState state)
    {
        if (reader.TokenType != JsonTokenType.String || reader.HasValueSequence) return false;
        var hex = reader.ValueSpan;
        if (hex.Length != LedgerHasher.DigestLength * 2 || !IsLowerHex(hex)) return false;
        for (var i = 0; values is not null && i < values.Count; i++)
        {
            var value = json[values[i].Start..values[i].End];
            if (value[0] is not ((byte)'{' or (byte)'[') || !state.MayHash(value.Length)) continue;
            var sibling = LedgerHasher.Detect(value, hex);
            if (sibling == LedgerHash.None) continue;
            Put(output, DerivedHash);
            Put(output, (byte)sibling);
            Varint(output, (ulong)i);
            return true;
        }
        var objectStart = (int)atObject.TokenStartIndex;
        atObject.Skip();
        var objectBytes = json[objectStart..(int)atObject.BytesConsumed];
        if (!state.MayHash(objectBytes.Length)) return false;
        var own = LedgerHasher.Detect(IdPreimage.Of(objectBytes, memberStart - objectStart, (int)reader.BytesConsumed - objectStart), hex);
        if (own == LedgerHash.None) return false;
        Put(output, DerivedId);
        Put(output, (byte)own);
        return true;
    }

    /// <summary>A string by what it spells; <paramref name="raw"/> is its content as written, escapes included.</summary>
    private static void PackString(ReadOnlySpan<byte> raw, ArrayBufferWriter<byte> output, PackState state)
    {
        if (raw.Length >= 16 && raw.Length % 2 == 0 && IsLowerHex(raw))
        {
            var bytes = Convert.FromHexString(Encoding.ASCII.GetString(raw));
            if (state.Hashes is { } hashes && hashes.TryNumberOf(bytes, out var number))
            {
                Put(output, InternedHash);
                Varint(output, (ulong)number);
                state.Uses(InternedTag);
                return;
            }
            if (state.NewIn is { } replica) state.Hashes?.Met(bytes, replica);
            Put(output, Hex);
            Block(output, bytes);
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
        else if (TryBase64UrlRun(raw, out var start, out var run))
        {
            Put(output, Base64UrlText);
            Block(output, raw[..start]);
            Block(output, run);
            Block(output, raw[(start + Base64Url.GetEncodedLength(run.Length))..]);
            state.Uses(ExtendedTag);
        }
        else
        {
            Put(output, Text);
            Block(output, raw);
        }
    }

    /// <summary>
    /// The longest run of the string between colons (or its ends) of at least <see cref="MinBase64UrlRun"/> base64url
    /// characters without padding that spells its bytes exactly, and where it starts.
    /// </summary>
    private static bool TryBase64UrlRun(ReadOnlySpan<byte> raw, out int start, out byte[] run)
    {
        start = -1;
        run = [];
        var from = 0;
        while (from <= raw.Length)
        {
            var colon = raw[from..].IndexOf((byte)':');
            var end = colon < 0 ? raw.Length : from + colon;
            var segment = raw[from..end];
            if (segment.Length >= MinBase64UrlRun && segment.Length > Base64Url.GetEncodedLength(run.Length) && IsBase64Url(segment))
            {
                var decoded = new byte[Base64Url.GetMaxDecodedLength(segment.Length)];
                if (Base64Url.DecodeFromUtf8(segment, decoded, out _, out var written) == OperationStatus.Done
                    && Base64Url.EncodeToUtf8(decoded.AsSpan(0, written)).AsSpan().SequenceEqual(segment))
                {
                    start = from;
                    run = decoded[..written];
                }
            }
            if (colon < 0) break;
            from = end + 1;
        }
        return start >= 0;
    }

    private static bool IsBase64Url(ReadOnlySpan<byte> s) =>
        s.Length % 4 != 1 && s.IndexOfAnyExcept("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"u8) < 0;

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
                    var objectStart = output.WrittenCount - 1;
                    // Where each value of this object lies in the output, by field: a derived hash names the value it hashes.
                    List<(int Start, int End)>? values = null;
                    // A derived id waits for the object to end: where its member starts, the kind of hash, and where its digits go.
                    (int MemberStart, LedgerHash Hash, int Digits)? derivedId = null;
                    var derived = false;
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
                        var memberStart = output.WrittenCount;
                        output.Write("\""u8);
                        output.Write(keys[index]);
                        output.Write("\":"u8);
                        var valueTag = reader.Byte();
                        var start = output.WrittenCount;
                        if (valueTag is DerivedHash or DerivedId && reader.Extended)
                        {
                            // Packing writes one at most (the first id member): more would only make unpacking hash again and again.
                            if (derived) throw new InvalidDataException("a second derived id in one object");
                            derived = true;
                            if (valueTag == DerivedHash) WriteDerivedHash(ref reader, output, values);
                            else derivedId = (memberStart, HashKind(ref reader), WritePlaceholder(output));
                        }
                        else
                        {
                            WriteValue(ref reader, output, keys, valueTag, depth + 1);
                        }
                        (values ??= []).Add((start, output.WrittenCount));
                        WithinBounds(output);
                    }
                    output.Write("}"u8);
                    if (derivedId is { } id) FillDerivedId(ref reader, output, objectStart, id.MemberStart, id.Hash, id.Digits);
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
                        WithinBounds(output);
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
                {
                    var bytes = reader.Block();
                    if (bytes.Length > MaxBase58Bytes) throw new InvalidDataException($"a base58 string of {bytes.Length} bytes, more than packing writes");
                    Quoted(output, Encoding.ASCII.GetBytes(Base58.Encode(bytes)));
                    break;
                }
            case Uuid:
                {
                    var hex = Convert.ToHexStringLower(reader.Bytes(16));
                    Quoted(output, Encoding.ASCII.GetBytes($"{hex[..8]}-{hex[8..12]}-{hex[12..16]}-{hex[16..20]}-{hex[20..]}"));
                    break;
                }
            case Digits:
                Quoted(output, Encoding.ASCII.GetBytes(reader.Varint().ToString(CultureInfo.InvariantCulture)));
                break;
            case Base64UrlText when reader.Extended:
                output.Write("\""u8);
                output.Write(reader.Block());
                output.Write(Base64Url.EncodeToUtf8(reader.Block()));
                output.Write(reader.Block());
                output.Write("\""u8);
                break;
            case InternedHash when reader.Interned:
                {
                    var number = reader.Varint();
                    var hashes = reader.Hashes ?? throw new InvalidDataException($"the document names interned hash {number}, and no table of interned hashes was given");
                    Quoted(output, Encoding.ASCII.GetBytes(Convert.ToHexStringLower(hashes.HashAt(number))));
                    break;
                }
            default:
                throw new InvalidDataException($"unknown tag {tag} in a packed document");
        }
    }

    /// <summary>The hex hash of the earlier value of the object it names, as written to <paramref name="output"/>.</summary>
    private static void WriteDerivedHash(ref FormReader reader, ArrayBufferWriter<byte> output, List<(int Start, int End)>? values)
    {
        var hash = HashKind(ref reader);
        var index = reader.Varint();
        if (values is null || index >= (ulong)values.Count) throw new InvalidDataException($"a derived hash of field {index}, which is not an earlier one");
        var (start, end) = values[(int)index];
        reader.Hash(end - start, output.WrittenCount);
        Quoted(output, Encoding.ASCII.GetBytes(LedgerHasher.ComputeHex(hash, output.WrittenSpan[start..end])));
    }

    private static LedgerHash HashKind(ref FormReader reader)
    {
        var hash = (LedgerHash)reader.Byte();
        return hash is LedgerHash.Sha3_256 or LedgerHash.Keccak256 ? hash : throw new InvalidDataException($"a derived hash of unknown kind {(byte)hash}");
    }

    /// <summary>Writes a quoted string of 64 zeros for a derived id's digits and returns where the digits start.</summary>
    private static int WritePlaceholder(ArrayBufferWriter<byte> output)
    {
        var digits = output.WrittenCount + 1;
        output.Write("\"0000000000000000000000000000000000000000000000000000000000000000\""u8);
        return digits;
    }

    /// <summary>Writes the digits of a derived id, once its object, from <paramref name="objectStart"/> to the end of the output, is whole.</summary>
    private static void FillDerivedId(ref FormReader reader, ArrayBufferWriter<byte> output, int objectStart, int memberStart, LedgerHash hash, int digits)
    {
        reader.Hash(output.WrittenCount - objectStart, output.WrittenCount);
        byte[] preimage;
        try
        {
            preimage = IdPreimage.Of(output.WrittenSpan[objectStart..], memberStart - objectStart, digits + LedgerHasher.DigestLength * 2 + 1 - objectStart);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"a derived id in an object that is not JSON ({e.Message})", e);
        }
        Encoding.ASCII.GetBytes(LedgerHasher.ComputeHex(hash, preimage)).CopyTo(MemoryMarshal.AsMemory(output.WrittenMemory).Span[digits..]);
    }

    private static void WithinBounds(ArrayBufferWriter<byte> output)
    {
        if (output.WrittenCount > MaxDocumentBytes) throw new InvalidDataException($"a packed document that spells more than {MaxDocumentBytes} bytes");
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

    private ref struct FormReader(ReadOnlySpan<byte> bytes, byte format, InternedPrefix? hashes)
    {
        private readonly ReadOnlySpan<byte> _bytes = bytes;
        private int _position;

        private long _hashed;

        /// <summary>True for a document of format 2 or 3, whose forms a document of format 1 may not use.</summary>
        public readonly bool Extended => format >= ExtendedTag;

        /// <summary>True for a document of format 3, which may name interned hashes.</summary>
        public readonly bool Interned => format >= InternedTag;

        /// <summary>The table the document's interned hashes are read from.</summary>
        public readonly InternedPrefix? Hashes => hashes;

        /// <summary>Counts <paramref name="bytes"/> about to be hashed for a derived id, with <paramref name="written"/> bytes of output so far.</summary>
        /// <exception cref="InvalidDataException">The document would hash far more than it spells.</exception>
        public void Hash(int bytes, int written)
        {
            _hashed += bytes;
            if (_hashed > (long)written * HashesPerByte + HashAllowance)
                throw new InvalidDataException($"a packed document whose derived ids hash {_hashed} bytes of the {written} it spells");
        }

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
