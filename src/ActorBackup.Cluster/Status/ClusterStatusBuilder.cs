using ActorBackup.Admin.Contract;
using ActorBackup.Admin.Contract.Status;
using ActorBackup.Cluster.Sharding;

namespace ActorBackup.Cluster.Status;

/// <summary>
/// Computes the <see cref="ClusterStatus"/> from the members and the replica reports a node sees.
/// Only replicas on reachable members count towards R and the restorable point: an unreachable
/// node may still hold its data, but nobody can restore from it now.
/// </summary>
public static class ClusterStatusBuilder
{
    public static ClusterStatus Build(
        string node,
        IReadOnlyList<MemberEntry> members,
        IEnumerable<ReplicaReport> reports,
        IReadOnlyList<string> tables,
        int shards,
        int replicas,
        DateTimeOffset now,
        IReadOnlyList<SourceEntry>? sources = null)
    {
        // Reports of removed members are left over until their removal reaches every node.
        var known = members.Select(m => m.Address).ToHashSet(StringComparer.Ordinal);
        var current = reports.Where(r => known.Contains(r.Node)).ToArray();
        var pids = current.Where(r => r.Pid.HasValue).GroupBy(r => r.Node, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First().Pid, StringComparer.Ordinal);
        members = members.Select(m => m.Pid is null && pids.TryGetValue(m.Address, out var pid) ? m with { Pid = pid } : m).ToArray();
        var byAddress = members.ToDictionary(m => m.Address, StringComparer.Ordinal);
        var byShard = current.ToLookup(r => (r.Table, r.Shard));
        var keySpace = new KeySpace(shards);

        var shardStatuses = new List<ShardStatus>();
        foreach (var table in tables)
        {
            foreach (var range in keySpace.Ranges)
                shardStatuses.Add(Shard(table, range, byShard[(table, range.Shard)], byAddress, replicas));
        }

        DateTimeOffset? restorable = shardStatuses.Count > 0 && shardStatuses.All(s => s.BackedUpTo.HasValue)
            ? shardStatuses.Min(s => s.BackedUpTo!.Value)
            : null;
        long? rpo = restorable is { } point ? Math.Max(0, (long)Math.Floor((now - point).TotalSeconds)) : null;
        var quarantined = shardStatuses.Sum(s => s.Replicas.Where(r => r.Reachable).Select(r => r.Quarantined).DefaultIfEmpty(0).Max());

        return new ClusterStatus(node, now, replicas, members, shardStatuses, restorable, rpo, quarantined,
            restorable is null ? null : RestsOn(shardStatuses), sources);
    }

    /// <summary>
    /// What the restorable point rests on: each shard's point is its highest reachable watermark, so the replica holding
    /// it (a live one first when several do) carries it; the point is only as strong as the weakest of those.
    /// </summary>
    private static WatermarkBasis? RestsOn(IReadOnlyList<ShardStatus> shards)
    {
        var carriers = new List<WatermarkBasis>();
        foreach (var shard in shards)
        {
            var carrier = shard.Replicas
                .Where(r => r.Reachable && r.Watermark == shard.BackedUpTo)
                .OrderBy(r => r.Basis is { Kind: WatermarkBasis.ContinuousFeed } ? 0 : 1)
                .ThenBy(r => r.Basis?.Since ?? DateTimeOffset.MaxValue)
                .First();
            if (carrier.Basis is not { } basis)
                return null;
            carriers.Add(basis);
        }
        return WatermarkBasis.Weakest(carriers);
    }

    private static ShardStatus Shard(
        string table, ShardRange range, IEnumerable<ReplicaReport> reports, Dictionary<string, MemberEntry> members, int replicas)
    {
        var all = reports.OrderBy(r => r.Node, StringComparer.Ordinal).ToArray();
        var reachable = all.Where(r => members[r.Node].Reachable).ToArray();
        var marks = reachable.Where(r => !r.Watermark.IsNone).Select(r => r.Watermark).OrderDescending().ToArray();

        var entries = all.Select(r =>
        {
            var isReachable = members[r.Node].Reachable;
            var durable = isReachable && !r.Watermark.IsNone ? marks.Count(w => w >= r.Watermark) : 0;
            var c = r.Capture;
            return new ShardReplica(r.Node, r.Region, isReachable, r.Records, r.Quarantined, Time(r.Watermark), durable, r.Digest.ToString(),
                c?.Phase, c?.LagSeconds, c?.Restarts ?? 0, c?.Gaps ?? 0, c?.LastError, c?.Source, c?.RecordsCaptured ?? 0, Basis(c), Reconcile(c),
                c?.CatchUpFallback, c?.WatermarkHeld);
        }).ToArray();

        return new ShardStatus(
            IdOf(table, range.Shard),
            table,
            range.Shard,
            $"[{range.Lower ?? "minval"}, {range.Upper ?? "maxval"})",
            reachable.Length,
            reachable.Length < replicas,
            marks.Length > 0 ? Time(marks[0]) : null,
            marks.Length >= replicas ? Time(marks[replicas - 1]) : null,
            reachable.Select(r => r.Records).DefaultIfEmpty(0).Max(),
            entries);
    }

    /// <summary>
    /// A live replica's watermark rests on its feed since it was subscribed, unless something holds it; any other's stays
    /// where its feed stopped.
    /// </summary>
    private static WatermarkBasis? Basis(ReplicaCapture? capture)
    {
        var feed = capture switch
        {
            null => null,
            { WatermarkHeld: { } waitsFor } => WatermarkBasis.Held(waitsFor),
            { Phase: ReplicaPhases.Live, FeedSince: { } since } => WatermarkBasis.Continuous(DateTimeOffset.FromUnixTimeSeconds(since)),
            _ => WatermarkBasis.Stopped,
        };
        return capture?.ReconciledAt is { } at ? feed!.Reconciled(DateTimeOffset.FromUnixTimeSeconds(at)) : feed;
    }

    /// <summary>The replica's reconciliation with the source, when its node reports one (it runs, or ran and failed).</summary>
    private static ReplicaReconcile? Reconcile(ReplicaCapture? capture) =>
        capture is { } c && (c.ReconciledAt is not null || c.ReconcileFound > 0 || c.ReconcileError is not null)
            ? new ReplicaReconcile(c.ReconciledAt is { } at ? DateTimeOffset.FromUnixTimeSeconds(at) : null, c.ReconcileFound, c.SourceLacks, c.ReconcileError)
            : null;

    /// <summary>"table/shard" as shown to operators, e.g. "votes/007".</summary>
    public static string IdOf(string table, int shard) => $"{table}/{shard:D3}";

    private static DateTimeOffset? Time(Watermark w) => w.IsNone ? null : DateTimeOffset.FromUnixTimeSeconds(w.Seconds);
}
