using System.Security.Cryptography;

namespace ActorBackup.Cluster.Capture.Pipeline;

/// <summary>
/// The last <c>capacity</c> documents seen, by id and content: a document seen again while still in the window
/// is a repeat (a scan overlapping the feed, a re-delivery after failover). Content counts, not the id alone:
/// a forged document reusing a genuine id must not hide the genuine one. Memory is bounded by the capacity.
/// </summary>
public sealed class RecentWindow(int capacity)
{
    private readonly Key[] _ring = new Key[Math.Max(1, capacity)];
    private readonly HashSet<Key> _members = [];
    private int _next;

    private readonly record struct Key(string Id, UInt128 Content);

    /// <summary>True when the document was not in the window (it is now); false for a repeat.</summary>
    public bool Add(string id, ReadOnlySpan<byte> json)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(json, hash);
        var key = new Key(id, System.Buffers.Binary.BinaryPrimitives.ReadUInt128LittleEndian(hash));
        if (!_members.Add(key)) return false;
        var evicted = _ring[_next];
        if (evicted.Id is not null) _members.Remove(evicted);
        _ring[_next] = key;
        _next = (_next + 1) % _ring.Length;
        return true;
    }
}
