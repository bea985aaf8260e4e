using System.Globalization;

namespace ActorBackup.Admin.Contract.Status;

/// <summary>
/// What a watermark, or the restorable point, rests on: the evidence the node checked itself, with its time in the
/// source's clock.
/// </summary>
/// <param name="Kind">One of <see cref="WatermarkBasis.ContinuousFeed"/> or <see cref="WatermarkBasis.FeedStopped"/>.</param>
/// <param name="Since">For a continuous feed, the source's time since which it was followed without a break.</param>
/// <param name="Text">One line for operators.</param>
/// <param name="ReconciledAt">
/// The source's time of the last reconciliation with the source (the oldest of them, for a point several replicas carry):
/// every record the source held then is held, whatever its timestamp. Null when not reconciled yet or not reported.
/// </param>
public sealed record WatermarkBasis(string Kind, DateTimeOffset? Since, string Text, DateTimeOffset? ReconciledAt = null)
{
    /// <summary>A catch-up scan from the watermark before the last reconnect minus the margin, then the feed without a break since <see cref="Since"/>.</summary>
    public const string ContinuousFeed = "continuous-feed";

    /// <summary>The replica is not live: its watermark stays where its last feed stopped.</summary>
    public const string FeedStopped = "feed-stopped";

    public static WatermarkBasis Continuous(DateTimeOffset since) => new(ContinuousFeed, since, $"continuous feed since {Time(since)}");

    public static WatermarkBasis Stopped { get; } = new(FeedStopped, null, "feed stopped: the watermark stays where it stopped");

    /// <summary>The feed is followed but the watermark stays where it was until <paramref name="waitsFor"/> has happened.</summary>
    public static WatermarkBasis Held(string waitsFor) => new(FeedStopped, null, $"watermark held: it waits for {waitsFor}");

    /// <summary>This basis, and the replica was last reconciled with the source at <paramref name="at"/>.</summary>
    public WatermarkBasis Reconciled(DateTimeOffset at) => this with { ReconciledAt = at, Text = $"{Text}; reconciled with the source at {Time(at)}" };

    /// <summary>
    /// The basis of a point that several watermarks carry together (one per shard): continuous since the latest of their
    /// feeds' starts, or stopped when any of them is.
    /// </summary>
    public static WatermarkBasis Weakest(IReadOnlyCollection<WatermarkBasis> bases)
    {
        var stopped = bases.Count(b => b.Kind != ContinuousFeed || b.Since is null);
        if (stopped > 0)
        {
            var (at, reconciledNote) = ReconciledOnEvery(bases);
            return new WatermarkBasis(FeedStopped, null,
                $"the feed stopped on {stopped} of {bases.Count} shards: their watermarks stay where their feeds stopped{reconciledNote}", at);
        }
        var since = bases.Max(b => b.Since!.Value);
        var (reconciled, note) = ReconciledOnEvery(bases);
        return new WatermarkBasis(ContinuousFeed, since, $"continuous feed since {Time(since)} on every shard{note}", reconciled);
    }

    /// <summary>
    /// The oldest reconciliation among the bases when every one was reconciled, and how the text says it; when only some
    /// were, how many were not; nothing when none reports one.
    /// </summary>
    private static (DateTimeOffset? At, string Note) ReconciledOnEvery(IReadOnlyCollection<WatermarkBasis> bases)
    {
        var missing = bases.Count(b => b.ReconciledAt is null);
        if (missing == bases.Count) return (null, "");
        if (missing > 0) return (null, $"; {missing} of {bases.Count} shards not yet reconciled with the source");
        var oldest = bases.Min(b => b.ReconciledAt!.Value);
        return (oldest, $"; every shard reconciled with the source since {Time(oldest)}");
    }

    private static string Time(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
