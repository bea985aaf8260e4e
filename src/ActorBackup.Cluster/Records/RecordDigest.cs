using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace ActorBackup.Cluster.Records;

/// <summary>The SHA-256 of one record, over its id and its JSON bytes.</summary>
public static class RecordDigest
{
    public const int Size = SHA256.HashSizeInBytes;

    /// <summary>SHA-256 of (length of the UTF-8 id as 4 bytes big-endian, the id, the JSON), so no two (id, json) pairs share an input.</summary>
    public static byte[] Of(string id, ReadOnlySpan<byte> json)
    {
        var idBytes = Encoding.UTF8.GetBytes(id);
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(length, idBytes.Length);
        sha.AppendData(length);
        sha.AppendData(idBytes);
        sha.AppendData(json);
        return sha.GetHashAndReset();
    }

    public static byte[] Of(CapturedRecord record) => Of(record.Id, record.Json.Span);
}
