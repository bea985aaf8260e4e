using System.Buffers.Binary;

namespace ActorBackup.Cluster.Records;

/// <summary>
/// An order-independent digest of a set of records: the sum modulo 2^256 of their
/// <see cref="RecordDigest"/>s. Replicas that hold the same records have the same digest whatever
/// order they captured them in. A sum (unlike XOR) does not cancel out a record counted twice.
/// </summary>
public readonly struct ShardDigest : IEquatable<ShardDigest>
{
    // Little-endian 64-bit limbs of the 256-bit sum: _l0 is the least significant.
    private readonly ulong _l0, _l1, _l2, _l3;

    private ShardDigest(ulong l0, ulong l1, ulong l2, ulong l3) => (_l0, _l1, _l2, _l3) = (l0, l1, l2, l3);

    /// <summary>The digest of no records.</summary>
    public static ShardDigest Empty => default;

    /// <summary>The digest with one more record, given its 32-byte <see cref="RecordDigest"/>.</summary>
    public ShardDigest Add(ReadOnlySpan<byte> recordDigest)
    {
        if (recordDigest.Length != RecordDigest.Size)
            throw new ArgumentException($"A record digest has {RecordDigest.Size} bytes, not {recordDigest.Length}.", nameof(recordDigest));
        // The record digest is read as a big-endian 256-bit number.
        var b3 = BinaryPrimitives.ReadUInt64BigEndian(recordDigest[..8]);
        var b2 = BinaryPrimitives.ReadUInt64BigEndian(recordDigest[8..16]);
        var b1 = BinaryPrimitives.ReadUInt64BigEndian(recordDigest[16..24]);
        var b0 = BinaryPrimitives.ReadUInt64BigEndian(recordDigest[24..]);
        var r0 = _l0 + b0;
        ulong c = r0 < _l0 ? 1UL : 0UL;
        var r1 = _l1 + b1 + c;
        c = r1 < _l1 || (c == 1 && r1 == _l1) ? 1UL : 0UL;
        var r2 = _l2 + b2 + c;
        c = r2 < _l2 || (c == 1 && r2 == _l2) ? 1UL : 0UL;
        var r3 = _l3 + b3 + c;
        return new ShardDigest(r0, r1, r2, r3);
    }

    /// <summary>The 32 bytes of the sum, big-endian.</summary>
    public byte[] ToBytes()
    {
        var bytes = new byte[32];
        BinaryPrimitives.WriteUInt64BigEndian(bytes.AsSpan(0, 8), _l3);
        BinaryPrimitives.WriteUInt64BigEndian(bytes.AsSpan(8, 8), _l2);
        BinaryPrimitives.WriteUInt64BigEndian(bytes.AsSpan(16, 8), _l1);
        BinaryPrimitives.WriteUInt64BigEndian(bytes.AsSpan(24, 8), _l0);
        return bytes;
    }

    /// <summary>Reads the 32 bytes written by <see cref="ToBytes"/>.</summary>
    public static ShardDigest FromBytes(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != 32)
            throw new ArgumentException($"A shard digest has 32 bytes, not {bytes.Length}.", nameof(bytes));
        return new ShardDigest(
            BinaryPrimitives.ReadUInt64BigEndian(bytes[24..]),
            BinaryPrimitives.ReadUInt64BigEndian(bytes[16..24]),
            BinaryPrimitives.ReadUInt64BigEndian(bytes[8..16]),
            BinaryPrimitives.ReadUInt64BigEndian(bytes[..8]));
    }

    public bool Equals(ShardDigest other) => _l0 == other._l0 && _l1 == other._l1 && _l2 == other._l2 && _l3 == other._l3;
    public override bool Equals(object? obj) => obj is ShardDigest other && Equals(other);
    public override int GetHashCode() => HashCode.Combine(_l0, _l1, _l2, _l3);
    public static bool operator ==(ShardDigest a, ShardDigest b) => a.Equals(b);
    public static bool operator !=(ShardDigest a, ShardDigest b) => !a.Equals(b);

    /// <summary>64 lowercase hex digits.</summary>
    public override string ToString() => Convert.ToHexStringLower(ToBytes());
}
