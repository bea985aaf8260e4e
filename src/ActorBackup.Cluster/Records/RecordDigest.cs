using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ActorBackup.Ledger.Json;

namespace ActorBackup.Cluster.Records;

/// <summary>
/// The SHA-256 of one record, over its id and the canonical JSON of its document, so that the same record
/// read from reqlite and from RethinkDB 2.4 (which space, order and escape differently) has one digest.
/// </summary>
public static class RecordDigest
{
    public const int Size = SHA256.HashSizeInBytes;

    // Real documents nest about 8 deep; this only bounds the parser on hostile input.
    private static readonly JsonDocumentOptions ParseOptions = new() { MaxDepth = 128 };

    /// <summary>
    /// SHA-256 of (length of the UTF-8 id as 4 bytes big-endian, the id, the canonical JSON of the document), so no
    /// two (id, document) pairs share an input. A document that cannot be put in canonical form (not JSON, a
    /// repeated key) is digested as its raw bytes; no canonical output equals such bytes, so the two never collide.
    /// </summary>
    public static byte[] Of(string id, ReadOnlySpan<byte> json) => OfCanonical(id, Canonical(json) ?? json);

    /// <summary>The digest of a record whose document's canonical JSON (or raw bytes, as in <see cref="Of(string, ReadOnlySpan{byte})"/>) is already known.</summary>
    internal static byte[] OfCanonical(string id, ReadOnlySpan<byte> canonical)
    {
        // One contiguous input and a one-shot hash: an incremental hash object costs more than hashing a vote.
        var idLength = Encoding.UTF8.GetByteCount(id);
        var length = 4 + idLength + canonical.Length;
        var input = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            BinaryPrimitives.WriteInt32BigEndian(input, idLength);
            Encoding.UTF8.GetBytes(id, input.AsSpan(4, idLength));
            canonical.CopyTo(input.AsSpan(4 + idLength));
            return SHA256.HashData(input.AsSpan(0, length));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(input);
        }
    }

    public static byte[] Of(CapturedRecord record) => record.Digest.ToArray();

    private static byte[]? Canonical(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = ParseOptions.MaxDepth });
        try
        {
            using var document = JsonDocument.ParseValue(ref reader);
            return reader.BytesConsumed == json.Length || IsTrailingWhitespace(json[(int)reader.BytesConsumed..])
                ? CanonicalJson.ToBytes(document.RootElement)
                : null;
        }
        catch (Exception e) when (e is JsonException or CanonicalJsonException or InvalidOperationException or ArgumentException)
        {
            return null;
        }
    }

    private static bool IsTrailingWhitespace(ReadOnlySpan<byte> rest) => rest.IndexOfAnyExcept(" \t\r\n"u8) < 0;
}
