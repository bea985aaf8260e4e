using System.Diagnostics;
using ActorBackup.Cluster.Status;

namespace ActorBackup.Cli.Verbs.Drill;

/// <summary>
/// Runs one failure: takes what the cluster acknowledged, kills the victims, then polls the status until capture
/// has resumed on every shard and every shard is back to R caught-up replicas on surviving nodes (or the limit
/// passes), and counts the acknowledged records no survivor holds.
/// </summary>
internal sealed class DrillRunner(Func<CancellationToken, Task<ClusterStatus>> status, TimeSpan limit, Action<string>? log = null)
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(500);

    public async Task<DrillReport> RunAsync(string scenario, IReadOnlyList<DrillVictim> victims, Action kill, CancellationToken ct)
    {
        var before = await status(ct);
        var acknowledged = AcknowledgedRecords.Of(before);
        var gone = victims.Where(v => v.Address is not null).Select(v => v.Address!).ToHashSet(StringComparer.Ordinal);
        var watermarksAtKill = before.Shards.ToDictionary(s => s.Id, s => s.BackedUpTo, StringComparer.Ordinal);
        var durableAtKill = before.Shards.ToDictionary(s => s.Id, s => s.DurableOnR, StringComparer.Ordinal);

        kill();
        var clock = Stopwatch.StartNew();
        log?.Invoke($"killed {string.Join(", ", victims.Select(v => $"{v.What} pid {v.Pid}"))}; watching the cluster");
        TimeSpan? resumed = null;
        TimeSpan? backToR = null;
        ClusterStatus? last = null;
        while (clock.Elapsed < limit && (resumed is null || backToR is null))
        {
            await Task.Delay(PollInterval, ct);
            try
            {
                last = await status(ct);
            }
            catch (StatusUnavailableException e)
            {
                log?.Invoke($"status unavailable: {e.Message}");
                continue;
            }
            if (resumed is null && CaptureResumed(last, gone, watermarksAtKill))
            {
                resumed = clock.Elapsed;
                log?.Invoke($"capture resumed on every shard after {resumed.Value.TotalSeconds:0.0} s");
            }
            if (backToR is null && BackAtR(last, gone, durableAtKill))
            {
                backToR = clock.Elapsed;
                log?.Invoke($"every shard back to R={last.Replicas} after {backToR.Value.TotalSeconds:0.0} s");
            }
        }
        var lost = last is null ? acknowledged.Total : acknowledged.LostIn(last, gone);
        return new DrillReport(scenario, victims, acknowledged.Total, lost, resumed, backToR, limit);
    }

    /// <summary>Every shard's best surviving watermark is past the shard's best one at the kill.</summary>
    internal static bool CaptureResumed(ClusterStatus status, IReadOnlySet<string> gone, IReadOnlyDictionary<string, DateTimeOffset?> atKill) =>
        status.Shards.All(s =>
        {
            var best = Survivors(s, gone).Select(r => r.Watermark).Max();
            return best.HasValue && (atKill.GetValueOrDefault(s.Id) is not { } before || best.Value > before);
        });

    /// <summary>
    /// No killed node is seen as reachable, and every shard has R replicas on surviving nodes that have caught up:
    /// each with a watermark at least where R replicas of the shard stood at the kill (<paramref name="durableAtKill"/>;
    /// any watermark when the shard had none). A replica re-placed on a node that held it earlier starts from that
    /// older watermark, so having one is not enough.
    /// </summary>
    internal static bool BackAtR(ClusterStatus status, IReadOnlySet<string> gone, IReadOnlyDictionary<string, DateTimeOffset?> durableAtKill) =>
        !status.Members.Any(m => gone.Contains(m.Address) && m.Reachable && m.Status is "up" or "joining" or "weakly-up")
        && status.Shards.All(s =>
        {
            var floor = durableAtKill.GetValueOrDefault(s.Id);
            return Survivors(s, gone).Count(r => r.Watermark is { } w && (floor is null || w >= floor.Value)) >= status.Replicas;
        });

    private static IEnumerable<ShardReplica> Survivors(ShardStatus shard, IReadOnlySet<string> gone) =>
        shard.Replicas.Where(r => r.Reachable && !gone.Contains(r.Node));
}
