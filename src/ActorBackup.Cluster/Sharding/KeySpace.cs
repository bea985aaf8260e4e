using System.Globalization;

namespace ActorBackup.Cluster.Sharding;

/// <summary>
/// The primary-key space of a table cut into a fixed number of contiguous shards. Record ids are
/// lowercase hex (64-char block hashes; votes' RethinkDB-generated UUIDs start with 8 hex digits),
/// so the bounds split the first 32 bits of hex evenly; any other string still falls in exactly
/// one shard because the ranges are contiguous from minval to maxval.
/// </summary>
public sealed class KeySpace
{
    /// <summary>Most shards a key space may have; bounds stay distinct well below 2^32.</summary>
    public const int MaxShards = 4096;

    private const int BoundDigits = 8;
    private readonly string[] _lowerBounds;

    public KeySpace(int shardCount)
    {
        if (shardCount is < 1 or > MaxShards)
            throw new ArgumentOutOfRangeException(nameof(shardCount), shardCount, $"The shard count must be from 1 to {MaxShards}.");
        ShardCount = shardCount;
        _lowerBounds = new string[shardCount];
        for (var i = 0; i < shardCount; i++)
        {
            // Ceiling division keeps bounds strictly increasing and spreads the remainder evenly.
            var start = (((ulong)i << 32) + (ulong)shardCount - 1) / (ulong)shardCount;
            _lowerBounds[i] = start.ToString("x" + BoundDigits, CultureInfo.InvariantCulture);
        }
        Ranges = Enumerable.Range(0, shardCount)
            .Select(i => new ShardRange(i, i == 0 ? null : _lowerBounds[i], i == shardCount - 1 ? null : _lowerBounds[i + 1]))
            .ToArray();
    }

    public int ShardCount { get; }

    /// <summary>Every shard's range, in key order; shard i is at index i.</summary>
    public IReadOnlyList<ShardRange> Ranges { get; }

    /// <summary>The shard whose range holds the id.</summary>
    public int ShardOf(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        var lo = 0;
        var hi = ShardCount - 1;
        while (lo < hi)
        {
            var mid = (lo + hi + 1) / 2;
            if (KeyOrder.Compare(_lowerBounds[mid], id) <= 0) lo = mid;
            else hi = mid - 1;
        }
        return lo;
    }
}
