using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text.Json;

namespace ActorBackup.Recovery.Verification;

/// <summary>
/// An order-independent digest of a set of documents: the sum modulo 2^256 of the SHA-256 of each document's
/// <see cref="DigestForm"/>. A sum (not a chained hash) so that documents read back in any order, or digested by
/// several writers in parallel and then added up, give the same value.
/// </summary>
public readonly record struct TableDigest(ulong Limb0, ulong Limb1, ulong Limb2, ulong Limb3)
{
    /// <summary>The digest of no documents.</summary>
    public static readonly TableDigest Empty = default;

    /// <summary>The digest of one document.</summary>
    public static TableDigest Of(JsonElement document)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(DigestForm.Of(document), hash);
        // The hash read as a big-endian 256-bit number; limb 0 holds the least significant bits.
        return new TableDigest(
            BinaryPrimitives.ReadUInt64BigEndian(hash[24..]),
            BinaryPrimitives.ReadUInt64BigEndian(hash[16..]),
            BinaryPrimitives.ReadUInt64BigEndian(hash[8..]),
            BinaryPrimitives.ReadUInt64BigEndian(hash));
    }

    /// <summary>The digest of the union of two disjoint sets of documents.</summary>
    public TableDigest Add(TableDigest other)
    {
        var (l0, c0) = AddWithCarry(Limb0, other.Limb0, 0);
        var (l1, c1) = AddWithCarry(Limb1, other.Limb1, c0);
        var (l2, c2) = AddWithCarry(Limb2, other.Limb2, c1);
        var (l3, _) = AddWithCarry(Limb3, other.Limb3, c2);
        return new TableDigest(l0, l1, l2, l3);
    }

    public static TableDigest operator +(TableDigest a, TableDigest b) => a.Add(b);

    /// <summary>64 hex digits, most significant first.</summary>
    public override string ToString() => $"{Limb3:x16}{Limb2:x16}{Limb1:x16}{Limb0:x16}";

    private static (ulong Sum, ulong Carry) AddWithCarry(ulong a, ulong b, ulong carry)
    {
        var sum = a + b;
        var overflow = sum < a ? 1UL : 0UL;
        var total = sum + carry;
        return (total, overflow | (total < sum ? 1UL : 0UL));
    }
}
