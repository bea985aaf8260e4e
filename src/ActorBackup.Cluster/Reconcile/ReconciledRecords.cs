using System.Collections.Concurrent;
using ActorBackup.Cluster.Admin;
using Akka.Actor;

namespace ActorBackup.Cluster.Reconcile;

/// <summary>
/// Records that only reconciliation with the source found, by table, since the node started: each is one the feed and
/// the catch-up scans missed. One per actor system; shown on <c>/metrics</c> as <see cref="MetricName"/>.
/// </summary>
public sealed class ReconciledRecords : IExtension
{
    public const string MetricName = "actorbackup_records_found_by_reconciliation_total";

    private readonly ConcurrentDictionary<string, long> _counts = new(StringComparer.Ordinal);

    public static ReconciledRecords Get(ActorSystem system) => system.WithExtension<ReconciledRecords, Id>();

    public void Add(string table, long count)
    {
        if (count > 0)
            _counts.AddOrUpdate(table, count, (_, total) => total + count);
    }

    public long Of(string table) => _counts.GetValueOrDefault(table);

    /// <summary>The counter in the Prometheus text format, one sample per table (none before the first record found).</summary>
    public string Prometheus()
    {
        var w = new PrometheusWriter();
        w.Counter(MetricName,
            "Records the source held and a replica lacked that reconciliation with the source found, verified and stored, by table.",
            _counts.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => (PrometheusWriter.Labels(("table", c.Key)), c.Value)));
        return w.ToString();
    }

    private sealed class Id : ExtensionIdProvider<ReconciledRecords>
    {
        public override ReconciledRecords CreateExtension(ExtendedActorSystem system) => new();
    }
}
