using System.Globalization;
using ActorBackup.Cluster.Sharding;

namespace ActorBackup.Cluster.Reading;

/// <summary>
/// A shard's id range cut into <see cref="Count"/> contiguous buckets, for comparing replicas piece
/// by piece. Buckets are ranges of ids rather than hashes of ids so that listing one bucket is a range
/// scan of the record index's primary key, not a scan of the whole replica.
/// </summary>
public sealed class IdBuckets
{
    /// <summary>
    /// Buckets per shard. With 256, a replica of a million records differing by one record exchanges
    /// ten kilobytes of digests and about four thousand ids; shards hold at least 2^20 id prefixes
    /// (4096 shards at most), so every bucket spans at least 4096 prefixes.
    /// </summary>
    public const int Count = 256;

    private readonly IdBucket[] _buckets;

    public IdBuckets(ShardRange range)
    {
        Range = range;
        var lo = range.Lower is null ? 0UL : ulong.Parse(range.Lower, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);
        var hi = range.Upper is null ? 1UL << 32 : ulong.Parse(range.Upper, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);
        string Bound(int i) => (lo + (hi - lo) * (ulong)i / Count).ToString("x8", CultureInfo.InvariantCulture);
        _buckets = new IdBucket[Count];
        for (var i = 0; i < Count; i++)
            _buckets[i] = new IdBucket(i, i == 0 ? range.Lower : Bound(i), i == Count - 1 ? range.Upper : Bound(i + 1));
    }

    /// <summary>The buckets of one shard of a key space of <paramref name="shards"/> shards.</summary>
    public static IdBuckets Of(int shards, int shard) => new(new KeySpace(shards).Ranges[shard]);

    public ShardRange Range { get; }

    /// <summary>Every bucket, in id order; bucket i is at index i.</summary>
    public IReadOnlyList<IdBucket> All => _buckets;

    /// <summary>The bucket holding the id. An id outside the shard falls into the first or last bucket.</summary>
    public int IndexOf(string id)
    {
        var (lo, hi) = (0, Count - 1);
        while (lo < hi)
        {
            var mid = (lo + hi + 1) / 2;
            if (KeyOrder.Compare(_buckets[mid].Lower!, id) <= 0) lo = mid;
            else hi = mid - 1;
        }
        return lo;
    }
}
