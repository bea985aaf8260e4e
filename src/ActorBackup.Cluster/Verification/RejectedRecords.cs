using System.Collections.Concurrent;
using ActorBackup.Cluster.Admin;
using Akka.Actor;

namespace ActorBackup.Cluster.Verification;

/// <summary>
/// How many records that came from elsewhere than this node's own capture failed verification here, since the node
/// started, by how they came (<c>repair</c>, <c>import</c>, or <c>journal</c> for a record read back from this node's
/// own journal for a restore or an export, <see cref="DirectWrite"/> for a write sent to a journal from another node)
/// and who sent them: a sibling or importing node that keeps sending forgeries
/// shows up by name. One per actor system; shown on <c>/metrics</c> as
/// <c>actorbackup_records_rejected_total</c>.
/// </summary>
public sealed class RejectedRecords : IExtension
{
    public const string MetricName = "actorbackup_records_rejected_total";

    /// <summary>The source of writes a journal refused because another node sent them to it directly (by its sender's path).</summary>
    public const string DirectWrite = "direct-write";

    private readonly ConcurrentDictionary<(string Source, string Sender), long> _counts = new();

    public static RejectedRecords Get(ActorSystem system) => system.WithExtension<RejectedRecords, Id>();

    public void Add(string source, string sender, long count)
    {
        if (count > 0)
            _counts.AddOrUpdate((source, sender), count, (_, total) => total + count);
    }

    /// <summary>The count for one source and sender, 0 when none was rejected.</summary>
    public long Of(string source, string sender) => _counts.GetValueOrDefault((source, sender));

    /// <summary>The counter in the Prometheus text format, one sample per source and sender (none before the first rejection).</summary>
    public string Prometheus()
    {
        var w = new PrometheusWriter();
        w.Counter(MetricName,
            "Records that failed verification here: received from elsewhere than this node's own capture (source repair or import, quarantined), read back from its journal (source journal, not served), or sent to a journal directly from another node (source direct-write, refused), by sender.",
            _counts.OrderBy(c => c.Key.Source, StringComparer.Ordinal).ThenBy(c => c.Key.Sender, StringComparer.Ordinal)
                .Select(c => (PrometheusWriter.Labels(("source", c.Key.Source), ("sender", c.Key.Sender)), c.Value)));
        return w.ToString();
    }

    private sealed class Id : ExtensionIdProvider<RejectedRecords>
    {
        public override RejectedRecords CreateExtension(ExtendedActorSystem system) => new();
    }
}
