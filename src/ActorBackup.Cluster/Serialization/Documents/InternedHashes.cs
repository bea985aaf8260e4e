using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace ActorBackup.Cluster.Serialization.Documents;

/// <summary>
/// The 32-byte hashes this node's stored documents name in several of its replicas, numbered in the order the node's
/// journal made them durable: packed documents (<see cref="JsonPacker"/>, format 3) name such a hash by its number
/// instead of holding its bytes. A vote names the block it votes for and the block before it, and the other voters'
/// votes for the same block, which shards by vote id put in other replicas, name them too: every replica would
/// otherwise keep the 64 bytes in full.
/// </summary>
/// <remarks>
/// A hash is interned when packing meets it, in documents written for the first time (merges write the same
/// documents again and do not count), in a second replica: repeats within one replica cost zstd a few bytes each, as
/// its merged events compress its documents together, so a number would not save what the hash's own row costs. It is
/// numbered only once the node's own journal entry has persisted it (<see cref="Journal.NodeStore"/>), which recovers
/// every interned hash before any replica starts, so every number a payload holds is known before that payload is
/// read. Hashes met in one replica so far are remembered up to <see cref="CandidateLimit"/>, then forgotten all at
/// once; at most as many wait to be persisted. Without an interner (a tool reading a journal, a test of one actor, a
/// node whose journal entry stopped) nothing new is interned, and documents are packed as before.
/// <para>
/// A number alone names a hash only by its place. Each persisted batch therefore extends a chain digest (the first
/// eight bytes of the SHA-256 of the digest before it and the batch's hashes), and a payload that names numbers
/// records the <see cref="InternedPrefix"/> it was packed with, its count and chain digest: read back, the payload
/// is refused unless the node holds that prefix exactly. A journal that lost its last batches and numbered other
/// hashes in their place, or one whose batch changed on disk, then fails to read those payloads instead of giving
/// back other documents.
/// </para>
/// </remarks>
public sealed class InternedHashes
{
    /// <summary>Bytes of a hash this table takes.</summary>
    public const int HashBytes = 32;

    /// <summary>Most hashes met in one replica that are remembered while waiting for a meeting in another, and most that wait to be persisted.</summary>
    public const int CandidateLimit = 1 << 16;

    private readonly Lock _gate = new();
    private readonly Dictionary<Hash, int> _numbers = [];
    private readonly List<Hash> _hashes = [];
    // The chain digest at every count a persisted batch ended at: a payload names one of them.
    private readonly Dictionary<int, ulong> _chains = new() { [0] = 0 };
    private readonly Dictionary<Hash, int> _metIn = [];
    private readonly HashSet<Hash> _pending = [];
    private readonly List<Hash> _waiting = [];
    private Action? _interner;

    /// <summary>How many hashes are interned (durable).</summary>
    public int Count
    {
        get
        {
            lock (_gate) return _hashes.Count;
        }
    }

    /// <summary>The hashes interned so far, as a payload packed now names them.</summary>
    public InternedPrefix Prefix()
    {
        lock (_gate) return new InternedPrefix(this, _hashes.Count, _chains[_hashes.Count]);
    }

    /// <summary>The prefix a payload says it was packed with, when this node holds it exactly.</summary>
    /// <exception cref="InvalidDataException">It does not: hashes were lost, changed or numbered differently since.</exception>
    public InternedPrefix Vouched(int count, ulong chain)
    {
        lock (_gate)
        {
            if (count > _hashes.Count)
                throw new InvalidDataException($"the payload names the first {count} interned hashes of the node, and its journal holds {_hashes.Count}");
            if (!_chains.TryGetValue(count, out var held) || held != chain)
                throw new InvalidDataException($"the payload names the first {count} interned hashes of the node, and its journal does not hold them as they were when it was written");
            return new InternedPrefix(this, count, chain);
        }
    }

    internal bool TryNumberOf(ReadOnlySpan<byte> hash, int below, out int number)
    {
        number = -1;
        if (hash.Length != HashBytes) return false;
        lock (_gate) return _numbers.TryGetValue(Hash.Of(hash), out number) && number < below;
    }

    internal byte[] HashAt(ulong number, int below)
    {
        if (number >= (ulong)below) throw new InvalidDataException($"the document names interned hash {number}, and its payload vouches for {below}");
        lock (_gate) return _hashes[(int)number].ToBytes();
    }

    /// <summary>
    /// Packing met <paramref name="hash"/> in a document written for the first time into the replica
    /// <paramref name="replica"/> names (<see cref="AtRest.ReplicaKeyOf"/>); a meeting in another replica queues it
    /// for the interner.
    /// </summary>
    public void Met(ReadOnlySpan<byte> hash, int replica)
    {
        if (_interner is null || hash.Length != HashBytes) return;
        var key = Hash.Of(hash);
        Action? interner;
        lock (_gate)
        {
            interner = _interner;
            if (interner is null || _numbers.ContainsKey(key) || _pending.Contains(key)) return;
            if (!_metIn.TryGetValue(key, out var first))
            {
                if (_metIn.Count >= CandidateLimit) _metIn.Clear();
                _metIn[key] = replica;
                return;
            }
            if (first == replica || _waiting.Count >= CandidateLimit) return;
            _metIn.Remove(key);
            _pending.Add(key);
            _waiting.Add(key);
            if (_waiting.Count > 1) return;
        }
        interner();
    }

    /// <summary>Who persists the queued hashes: called when the queue stops being empty.</summary>
    public void AttachInterner(Action interner)
    {
        lock (_gate) _interner = interner;
    }

    /// <summary>The interner stopped: nothing more is queued, and what was queued or being persisted is forgotten.</summary>
    public void DetachInterner()
    {
        lock (_gate)
        {
            _interner = null;
            _metIn.Clear();
            _pending.Clear();
            _waiting.Clear();
        }
    }

    /// <summary>The queued hashes, concatenated, and the number the first of them gets; empty when none is queued.</summary>
    public (int First, byte[] Hashes) TakeQueued()
    {
        lock (_gate)
        {
            var bytes = new byte[_waiting.Count * HashBytes];
            for (var i = 0; i < _waiting.Count; i++) _waiting[i].ToBytes().CopyTo(bytes, i * HashBytes);
            _waiting.Clear();
            return (_hashes.Count, bytes);
        }
    }

    /// <summary>
    /// Numbers durable hashes, <paramref name="first"/> onwards, as the journal holds them. A batch this table already
    /// holds under the same numbers (the node's entry recovered again after a restart) changes nothing.
    /// </summary>
    /// <exception cref="InvalidDataException">
    /// They do not follow the hashes numbered so far, or one is numbered already: nothing is numbered then.
    /// </exception>
    public void Add(int first, ReadOnlySpan<byte> hashes)
    {
        if (hashes.Length % HashBytes != 0 || hashes.IsEmpty)
            throw new InvalidDataException($"{hashes.Length} bytes of interned hashes are not whole hashes of {HashBytes}");
        var keys = new Hash[hashes.Length / HashBytes];
        for (var i = 0; i < keys.Length; i++) keys[i] = Hash.Of(hashes.Slice(i * HashBytes, HashBytes));
        lock (_gate)
        {
            if (first >= 0 && first < _hashes.Count && first + keys.Length <= _hashes.Count
                && keys.Select((key, i) => _hashes[first + i] == key).All(same => same))
                return;
            if (first != _hashes.Count) throw new InvalidDataException($"interned hashes numbered from {first} follow {_hashes.Count} hashes");
            var seen = new HashSet<Hash>();
            foreach (var key in keys)
            {
                if (_numbers.ContainsKey(key) || !seen.Add(key))
                    throw new InvalidDataException($"hash {Convert.ToHexStringLower(key.ToBytes())} is interned twice");
            }
            foreach (var key in keys)
            {
                _numbers.Add(key, _hashes.Count);
                _hashes.Add(key);
                _pending.Remove(key);
            }
            _chains[_hashes.Count] = Chain(_chains[first], hashes);
        }
    }

    private static ulong Chain(ulong before, ReadOnlySpan<byte> hashes)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Span<byte> previous = stackalloc byte[sizeof(ulong)];
        BinaryPrimitives.WriteUInt64BigEndian(previous, before);
        sha.AppendData(previous);
        sha.AppendData(hashes);
        return BinaryPrimitives.ReadUInt64BigEndian(sha.GetHashAndReset());
    }

    private readonly record struct Hash(ulong A, ulong B, ulong C, ulong D)
    {
        public static Hash Of(ReadOnlySpan<byte> bytes)
        {
            var words = MemoryMarshal.Cast<byte, ulong>(bytes);
            return new Hash(words[0], words[1], words[2], words[3]);
        }

        public byte[] ToBytes()
        {
            var bytes = new byte[HashBytes];
            var words = MemoryMarshal.Cast<byte, ulong>(bytes.AsSpan());
            (words[0], words[1], words[2], words[3]) = (A, B, C, D);
            return bytes;
        }
    }
}
