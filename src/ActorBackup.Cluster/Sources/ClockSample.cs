using System.Diagnostics;

namespace ActorBackup.Cluster.Sources;

/// <summary>
/// One answer of a source to <c>r.now()</c>: when the question left by this node's clock, how long the answer took,
/// and the source's time in it. The source read its clock somewhere within the round trip, so the offset between the
/// clocks is known to within half of it.
/// </summary>
/// <param name="Sent">This node's clock when the question was sent.</param>
/// <param name="RoundTrip">From sending the question to reading the answer, by a monotonic timer.</param>
/// <param name="SourceTime">The source's clock as it answered.</param>
/// <param name="AnsweredAt">The monotonic timer (<see cref="Stopwatch.GetTimestamp"/>) when the answer was read.</param>
public readonly record struct ClockSample(DateTimeOffset Sent, TimeSpan RoundTrip, DateTimeOffset SourceTime, long AnsweredAt)
{
    /// <summary>The source's clock minus this node's, taking the source's reading at the midpoint of the round trip.</summary>
    public TimeSpan Offset => SourceTime - (Sent + RoundTrip / 2);

    /// <summary>Half the round trip: the true offset lies within this of <see cref="Offset"/>.</summary>
    public TimeSpan Uncertainty => RoundTrip / 2;

    /// <summary>
    /// The source's time now: its reading plus the time elapsed since the answer arrived, by the monotonic timer. This
    /// node's wall clock plays no part, so stepping it moves nothing; and since the source read its clock before the answer
    /// arrived, the result never runs ahead of the source.
    /// </summary>
    public DateTimeOffset SourceTimeNow() => SourceTime + Stopwatch.GetElapsedTime(AnsweredAt);

    /// <summary>The source's time in whole Unix seconds, rounded down: what a watermark may claim from this answer.</summary>
    public long SourceSeconds => SourceTime.ToUnixTimeSeconds();
}
