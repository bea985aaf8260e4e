using ActorBackup.Admin.Contract.Status;


namespace ActorBackup.Cli.Verbs.Drill;

/// <summary>
/// What the cluster had acknowledged before a drill, shard by shard: the records held by R reachable replicas,
/// i.e. the R-th largest record count among them (records are append-only, so a replica's count only grows).
/// After the drill, a shard has lost the part of that its most complete surviving replica no longer holds.
/// </summary>
public sealed record AcknowledgedRecords(IReadOnlyDictionary<string, long> ByShard)
{
    public long Total => ByShard.Values.Sum();

    public static AcknowledgedRecords Of(ClusterStatus status) =>
        new(status.Shards.ToDictionary(
            s => s.Id,
            s =>
            {
                var counts = s.Replicas.Where(r => r.Reachable).Select(r => r.Records).OrderDescending().ToArray();
                return counts.Length >= status.Replicas ? counts[status.Replicas - 1] : 0;
            },
            StringComparer.Ordinal));

    /// <summary>Acknowledged records no reachable replica outside <paramref name="gone"/> holds any more.</summary>
    public long LostIn(ClusterStatus after, IReadOnlySet<string> gone)
    {
        var best = after.Shards.ToDictionary(
            s => s.Id,
            s => s.Replicas.Where(r => r.Reachable && !gone.Contains(r.Node)).Select(r => r.Records).DefaultIfEmpty(0).Max(),
            StringComparer.Ordinal);
        return ByShard.Sum(kv => Math.Max(0, kv.Value - best.GetValueOrDefault(kv.Key)));
    }
}
