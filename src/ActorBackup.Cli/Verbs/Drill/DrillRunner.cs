using System.Diagnostics;
using ActorBackup.Admin.Contract.Status;

namespace ActorBackup.Cli.Verbs.Drill;

/// <summary>
/// Runs one failure: takes what the cluster acknowledged, kills the victims, then polls the status until capture
/// has resumed on every shard and every shard is back to R replicas on surviving nodes backed up past the kill (or
/// the limit passes), and counts the acknowledged records no survivor holds.
/// </summary>
internal sealed class DrillRunner(Func<CancellationToken, Task<ClusterStatus>> status, TimeSpan limit, Action<string>? log = null)
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(500);

    public async Task<DrillReport> RunAsync(string scenario, IReadOnlyList<DrillVictim> victims, Action kill, CancellationToken ct)
    {
        var before = await status(ct);
        var acknowledged = AcknowledgedRecords.Of(before);
        var gone = victims.Where(v => v.Address is not null).Select(v => v.Address!).ToHashSet(StringComparer.Ordinal);

        kill();
        var killedAt = DateTimeOffset.UtcNow;
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
            if (resumed is null && CaptureResumed(last, gone, killedAt))
            {
                resumed = clock.Elapsed;
                log?.Invoke($"capture resumed on every shard after {resumed.Value.TotalSeconds:0.0} s");
            }
            if (backToR is null && BackAtR(last, gone, killedAt))
            {
                backToR = clock.Elapsed;
                log?.Invoke($"every shard back to R={last.Replicas} after {backToR.Value.TotalSeconds:0.0} s");
            }
        }
        var lost = last is null ? acknowledged.Total : acknowledged.LostIn(last, gone);
        return new DrillReport(scenario, victims, acknowledged.Total, lost, resumed, backToR, limit);
    }

    /// <summary>
    /// Every shard has a surviving replica backed up past the kill. A watermark is a checkpoint's time less the
    /// catch-up margin, so no checkpoint taken before the kill gets there: only capture going on after it does.
    /// Merely passing the watermark seen at the kill is not enough, since the status lags the replicas.
    /// </summary>
    internal static bool CaptureResumed(ClusterStatus status, IReadOnlySet<string> gone, DateTimeOffset killedAt) =>
        status.Shards.All(s => CaughtUp(s, gone, killedAt) >= 1);

    /// <summary>
    /// No killed node is seen as reachable, and every shard has R surviving replicas backed up past the kill. A
    /// replica re-placed on a node that held it earlier starts from that older watermark, and after a lost source
    /// every watermark stands still until capture resumes, so having replicas is not enough.
    /// </summary>
    internal static bool BackAtR(ClusterStatus status, IReadOnlySet<string> gone, DateTimeOffset killedAt) =>
        !status.Members.Any(m => gone.Contains(m.Address) && m.Reachable && m.Status is "up" or "joining" or "weakly-up")
        && status.Shards.All(s => CaughtUp(s, gone, killedAt) >= status.Replicas);

    private static int CaughtUp(ShardStatus shard, IReadOnlySet<string> gone, DateTimeOffset killedAt) =>
        shard.Replicas.Count(r => r.Reachable && !gone.Contains(r.Node) && r.Watermark is { } w && w > killedAt);
}
