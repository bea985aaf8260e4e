using System.Globalization;

namespace ActorBackup.Tags.Planning;

/// <summary>
/// How many replicas of each shard stay on the original servers: as many as the table has there now (<c>keep</c>),
/// one fewer (<c>minus-one</c>), or a number. Counted per shard; the largest over a table's shards is used.
/// </summary>
public abstract record OriginalReplicas
{
    public static readonly OriginalReplicas Keep = new KeepNow();

    public static readonly OriginalReplicas MinusOne = new OneFewer();

    public static OriginalReplicas Exactly(int count) => new Fixed(count);

    /// <summary>"keep", "minus-one" or a number from 1 to 64; null for anything else.</summary>
    public static OriginalReplicas? Parse(string text) => text switch
    {
        "keep" => Keep,
        "minus-one" => MinusOne,
        _ when int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is >= 1 and <= 64 => Exactly(n),
        _ => null,
    };

    /// <summary>
    /// The replicas a shard keeps on original servers, given where its replicas are now. Replicas on connected servers
    /// without the backup tag count as the original servers' (a table not yet in the layout has all its replicas
    /// there). One fewer is taken only from a shard with no replica on a backup server yet: once the layout holds,
    /// the same command plans the same thing again, so a rerun changes nothing.
    /// </summary>
    public abstract int For(ReplicaCounts shard);

    private sealed record KeepNow : OriginalReplicas
    {
        public override int For(ReplicaCounts shard) => shard.Original + shard.Other;

        public override string ToString() => "keep";
    }

    private sealed record OneFewer : OriginalReplicas
    {
        public override int For(ReplicaCounts shard) => shard.Original + shard.Other - (shard.Backup == 0 ? 1 : 0);

        public override string ToString() => "minus-one";
    }

    private sealed record Fixed(int Count) : OriginalReplicas
    {
        public override int For(ReplicaCounts shard) => Count;

        public override string ToString() => Count.ToString(CultureInfo.InvariantCulture);
    }
}
