using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace ActorBackup.Cluster.Placement;

/// <summary>
/// The rendezvous weight of a member for a shard. Every node must compute the same value in every
/// process, so it is SHA-256 (truncated to 64 bits), never string.GetHashCode, which is randomized per process.
/// </summary>
internal static class StableHash
{
    public static ulong Weight(string table, int shard, string address)
    {
        var text = $"{table}\n{shard}\n{address}";
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(text), hash);
        return BinaryPrimitives.ReadUInt64BigEndian(hash);
    }
}
