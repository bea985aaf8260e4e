using System.Collections;

namespace ActorBackup.Cluster.Replica;

/// <summary>
/// A Bloom filter over the ids a replica stored: "no" is exact, "maybe" must be checked against the index. New
/// records are almost never stored already, so the duplicate check reads the index only for the few "maybe"s.
/// It grows by adding a filter twice the size of the last one when that one is full, so memory stays about
/// <see cref="BitsPerId"/> bits per id (at most twice that) and the false-positive rate near 2%, up to
/// <paramref name="maxBytes"/>: memory must not grow with the table, so past that the last filter takes every further
/// id, and more and more of them get "maybe" (an index read each, as without the filter) instead.
/// </summary>
public sealed class IdFilter(long maxBytes)
{
    public const int BitsPerId = 8;

    private const int Hashes = 5;
    private const int FirstCapacity = 1 << 16;

    private readonly List<Segment> _segments = [];

    /// <summary>Ids added so far (repeats included).</summary>
    public long Count { get; private set; }

    /// <summary>Memory held by the filter's bits.</summary>
    public long SizeInBytes { get; private set; }

    public void Add(string id)
    {
        if (_segments.Count == 0 || (_segments[^1].IsFull && SizeInBytes + 2L * _segments[^1].Capacity * BitsPerId / 8 <= maxBytes))
        {
            var segment = new Segment(_segments.Count == 0 ? FirstCapacity : _segments[^1].Capacity * 2);
            _segments.Add(segment);
            SizeInBytes += (long)segment.Capacity * BitsPerId / 8;
        }
        _segments[^1].Add(Hash(id));
        Count++;
    }

    /// <summary>False when the id was certainly never added.</summary>
    public bool MightContain(string id)
    {
        var hash = Hash(id);
        foreach (var segment in _segments)
            if (segment.MightContain(hash)) return true;
        return false;
    }

    public void Clear()
    {
        _segments.Clear();
        Count = 0;
        SizeInBytes = 0;
    }

    // FNV-1a over the UTF-16 code units, then the SplitMix64 finalizer so that every output bit depends on every input bit.
    private static ulong Hash(string id)
    {
        var h = 0xcbf29ce484222325UL;
        foreach (var c in id) h = (h ^ c) * 0x100000001b3UL;
        h = (h ^ (h >> 30)) * 0xbf58476d1ce4e5b9UL;
        h = (h ^ (h >> 27)) * 0x94d049bb133111ebUL;
        return h ^ (h >> 31);
    }

    private sealed class Segment(int capacity)
    {
        private readonly BitArray _bits = new(capacity * BitsPerId);
        private int _count;

        public int Capacity => capacity;

        public bool IsFull => _count >= capacity;

        public void Add(ulong hash)
        {
            for (var i = 0; i < Hashes; i++) _bits[Bit(hash, i)] = true;
            _count++;
        }

        public bool MightContain(ulong hash)
        {
            for (var i = 0; i < Hashes; i++)
                if (!_bits[Bit(hash, i)]) return false;
            return true;
        }

        // Double hashing: the i-th probe is h1 + i * h2, with h2 odd so the probes differ.
        private int Bit(ulong hash, int i) => (int)(((uint)hash + (uint)i * ((uint)(hash >> 32) | 1)) % (uint)_bits.Length);
    }
}
