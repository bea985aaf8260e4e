using System.Globalization;
using System.Text;

namespace ActorBackup.Cluster.Admin;

/// <summary>
/// Writes gauges and counters in the Prometheus text exposition format (version 0.0.4): each metric with its HELP and TYPE lines,
/// then one sample per label set. Used for the node's /metrics and for textfiles the CLI writes.
/// </summary>
public sealed class PrometheusWriter
{
    private readonly StringBuilder _text = new();

    public void Metric(string name, string help, IEnumerable<(string Labels, double Value)> samples) => Write(name, help, "gauge", samples);

    /// <summary>A metric that only ever grows while the process runs, such as a count of events.</summary>
    public void Counter(string name, string help, IEnumerable<(string Labels, long Value)> samples) =>
        Write(name, help, "counter", samples.Select(s => (s.Labels, (double)s.Value)));

    private void Write(string name, string help, string type, IEnumerable<(string Labels, double Value)> samples)
    {
        _text.Append("# HELP ").Append(name).Append(' ').Append(help).Append('\n');
        _text.Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n');
        foreach (var (labels, value) in samples)
            _text.Append(name).Append(labels).Append(' ').Append(value.ToString("R", CultureInfo.InvariantCulture)).Append('\n');
    }

    public void Metric(string name, string help, IEnumerable<(string Labels, long Value)> samples) =>
        Metric(name, help, samples.Select(s => (s.Labels, (double)s.Value)));

    /// <summary>A label set, <c>{table="votes",shard="3"}</c>.</summary>
    public static string Labels(params (string Name, string Value)[] labels) =>
        "{" + string.Join(",", labels.Select(l => $"{l.Name}=\"{Escape(l.Value)}\"")) + "}";

    public override string ToString() => _text.ToString();

    // The text format escapes backslash, double quote and line feed in label values.
    private static string Escape(string value) =>
        value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);
}
