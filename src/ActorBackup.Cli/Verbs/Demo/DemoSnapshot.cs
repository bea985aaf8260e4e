using System.Globalization;
using ActorBackup.Admin.Contract.Status;
using ActorBackup.Sandbox.Federation;

namespace ActorBackup.Cli.Verbs.Demo;

/// <summary>One look at the demo: what the federation wrote and what the cluster holds.</summary>
internal sealed record DemoSnapshot(
    string Phase,
    TimeSpan Elapsed,
    long BlocksWritten,
    long VotesWritten,
    IReadOnlyList<(string Region, long Records)> RecordsByRegion,
    int MembersUp,
    int ShardsAtR,
    int Shards,
    int Replicas,
    long? RpoSeconds)
{
    public static DemoSnapshot Of(string phase, TimeSpan elapsed, FederationFeed feed, ClusterStatus status) =>
        new(phase, elapsed, feed.Blocks, feed.Votes,
            status.Shards.SelectMany(s => s.Replicas.Where(r => r.Reachable))
                .GroupBy(r => r.Region, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal)
                .Select(g => (g.Key, g.Sum(r => r.Records))).ToArray(),
            status.Members.Count(m => m.Status == "up" && m.Reachable),
            status.Shards.Count(s => s.Replicas.Count(r => r.Reachable && r.Watermark.HasValue) >= status.Replicas),
            status.Shards.Count,
            status.Replicas,
            status.RpoSeconds);

    public string Line =>
        $"{Phase,-9} {Elapsed.TotalSeconds,5:0}s  written {BlocksWritten} blocks {VotesWritten} votes  captured "
        + string.Join(", ", RecordsByRegion.Select(r => $"{r.Region} {r.Records.ToString(CultureInfo.InvariantCulture)}"))
        + $"  nodes up {MembersUp}  shards at R={Replicas} {ShardsAtR}/{Shards}  RPO {(RpoSeconds is { } rpo ? rpo + " s" : "-")}";
}
