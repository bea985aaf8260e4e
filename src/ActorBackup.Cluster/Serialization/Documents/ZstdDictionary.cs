using System.Buffers.Binary;
using System.Security.Cryptography;

namespace ActorBackup.Cluster.Serialization.Documents;

/// <summary>A zstd dictionary trained from one table's documents, named by <see cref="Id"/> in every payload compressed with it.</summary>
/// <param name="Id">The first four bytes of the SHA-256 of <paramref name="Bytes"/>, never 0 (0 means "no dictionary").</param>
public sealed record ZstdDictionary(string Table, uint Id, byte[] Bytes)
{
    public static ZstdDictionary Of(string table, byte[] bytes)
    {
        var id = BinaryPrimitives.ReadUInt32BigEndian(SHA256.HashData(bytes));
        return new ZstdDictionary(table, id == 0 ? 1 : id, bytes);
    }
}
