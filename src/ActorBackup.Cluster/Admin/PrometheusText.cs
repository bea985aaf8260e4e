using System.Globalization;
using System.Text;
using ActorBackup.Admin.Contract.Status;

namespace ActorBackup.Cluster.Admin;

/// <summary>
/// The cluster status in the Prometheus text exposition format (version 0.0.4): every metric named
/// <c>actorbackup_*</c> with its HELP and TYPE lines. All are gauges, as they are computed afresh
/// from the replicated status at each scrape.
/// </summary>
public static class PrometheusText
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    public static string Write(ClusterStatus status)
    {
        var w = new PrometheusWriter();
        var now = status.At;

        w.Metric("actorbackup_members", "Cluster members by region, membership status and reachability.",
            status.Members.GroupBy(m => (m.Region, m.Status, m.Reachable)).OrderBy(g => g.Key.Region, StringComparer.Ordinal).ThenBy(g => g.Key.Status, StringComparer.Ordinal)
                .Select(g => (Labels(("region", g.Key.Region), ("status", g.Key.Status), ("reachable", g.Key.Reachable ? "true" : "false")), (double)g.Count())));

        w.Metric("actorbackup_replicas_target", "Replicas wanted per shard (R).", [("", status.Replicas)]);

        w.Metric("actorbackup_shard_replicas", "Replicas of the shard on reachable nodes.",
            status.Shards.Select(s => (Labels(("table", s.Table), ("shard", Shard(s))), (double)s.ReplicaCount)));

        w.Metric("actorbackup_shards_under_replicated", "Shards with fewer than R replicas on reachable nodes, per table.",
            status.Shards.GroupBy(s => s.Table).Select(g => (Labels(("table", g.Key)), (double)g.Count(s => s.UnderReplicated))));

        w.Metric("actorbackup_shard_records", "Records of the shard on its most complete reachable replica.",
            status.Shards.Select(s => (Labels(("table", s.Table), ("shard", Shard(s))), (double)s.Records)));

        w.Metric("actorbackup_replica_records", "Records captured and stored by the replica.",
            Replicas(status).Select(x => (x.Labels, (double)x.Replica.Records)));

        w.Metric("actorbackup_replica_quarantined_records", "Records the replica holds in quarantine (failed verification).",
            Replicas(status).Select(x => (x.Labels, (double)x.Replica.Quarantined)));

        w.Metric("actorbackup_replica_watermark_seconds", "Flushed watermark of the replica, Unix seconds.",
            Replicas(status).Where(x => x.Replica.Watermark.HasValue)
                .Select(x => (x.Labels, (double)x.Replica.Watermark!.Value.ToUnixTimeSeconds())));

        w.Metric("actorbackup_replica_lag_seconds", "Now minus the flushed watermark of the replica.",
            Replicas(status).Where(x => x.Replica.Watermark.HasValue)
                .Select(x => (x.Labels, Math.Max(0, (now - x.Replica.Watermark!.Value).TotalSeconds))));

        w.Metric("actorbackup_replica_restarts_total", "Capture attempts of the replica after the first, since its actor started.",
            Replicas(status).Select(x => (x.Labels, (double)x.Replica.Restarts)));

        w.Metric("actorbackup_replica_gaps_total", "Changefeed overflows the replica saw (each repaired by a catch-up scan).",
            Replicas(status).Select(x => (x.Labels, (double)x.Replica.Gaps)));

        w.Metric("actorbackup_replica_backoff", "1 while the replica's capture waits to retry after an error, else 0.",
            Replicas(status).Where(x => x.Replica.Phase is not null)
                .Select(x => (x.Labels, x.Replica.Phase == ReplicaPhases.Backoff ? 1.0 : 0.0)));

        w.Metric("actorbackup_source_errors_total", "Failed capture attempts per source, summed over the replicas reading it.",
            status.Shards.SelectMany(s => s.Replicas).Where(r => r.Source is not null && r.Restarts > 0)
                .GroupBy(r => r.Source!, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal)
                .Select(g => (Labels(("source", g.Key)), (double)g.Sum(r => r.Restarts))));

        w.Metric("actorbackup_records_captured_total", "Records stored new by the replicas since their actors started, per region.",
            status.Shards.SelectMany(s => s.Replicas).GroupBy(r => r.Region, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal)
                .Select(g => (Labels(("region", g.Key)), (double)g.Sum(r => r.RecordsCaptured))));

        w.Metric("actorbackup_quarantined_records", "Records in quarantine in the cluster, each shard counted once.", [("", status.Quarantined)]);

        if (status.RestorablePoint is { } point)
            w.Metric("actorbackup_restorable_point_seconds", "Latest time every shard can be restored to, Unix seconds.", [("", point.ToUnixTimeSeconds())]);
        if (status.RpoSeconds is { } rpo)
            w.Metric("actorbackup_rpo_seconds", "Recovery point objective: now minus the restorable point.", [("", rpo)]);

        return w.ToString();
    }

    private static IEnumerable<(string Labels, ShardReplica Replica)> Replicas(ClusterStatus status) =>
        status.Shards.SelectMany(s => s.Replicas.Select(r =>
            (Labels(("table", s.Table), ("shard", Shard(s)), ("node", r.Node), ("region", r.Region)), r)));

    private static string Shard(ShardStatus s) => s.Shard.ToString(CultureInfo.InvariantCulture);

    private static string Labels(params (string Name, string Value)[] labels) => PrometheusWriter.Labels(labels);
}
