using System.Globalization;
using ActorBackup.Cluster.Sharding;

namespace ActorBackup.Cluster.Reconcile;

/// <summary>
/// A slice of a shard's ids compared with the source, left closed, right open, in RethinkDB's key order; a null bound
/// is the shard's open end. Slices are cut on the first 32 bits of the hex ids, as shards are (<see cref="KeySpace"/>).
/// </summary>
public sealed record KeyRange(string? Lower, string? Upper)
{
    public static KeyRange Of(ShardRange shard) => new(shard.Lower, shard.Upper);

    /// <summary>
    /// The range cut into up to <paramref name="parts"/> contiguous slices of equal width that cover it exactly; the range
    /// itself alone when it is too narrow to cut.
    /// </summary>
    public IReadOnlyList<KeyRange> Split(int parts)
    {
        var lo = Lower is null ? 0UL : Parse(Lower);
        var hi = Upper is null ? 1UL << 32 : Parse(Upper);
        if (hi <= lo || hi - lo < 2) return [this];
        var count = (int)Math.Min((ulong)parts, hi - lo);
        string Bound(int i) => (lo + (hi - lo) * (ulong)i / (ulong)count).ToString("x8", CultureInfo.InvariantCulture);
        var slices = new KeyRange[count];
        for (var i = 0; i < count; i++)
            slices[i] = new KeyRange(i == 0 ? Lower : Bound(i), i == count - 1 ? Upper : Bound(i + 1));
        return slices;
    }

    public bool Contains(string id) =>
        (Lower is null || KeyOrder.Compare(Lower, id) <= 0) && (Upper is null || KeyOrder.Compare(id, Upper) < 0);

    public override string ToString() => $"[{Lower ?? "minval"}, {Upper ?? "maxval"})";

    private static ulong Parse(string bound) =>
        bound.Length == 8 && ulong.TryParse(bound, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new ArgumentException($"\"{bound}\" is not a bound of 8 hex digits");
}
