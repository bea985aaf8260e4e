using System.Diagnostics;
using ActorBackup.Cluster.Settings;
using ActorBackup.Cluster.Sources;

namespace ActorBackup.Cluster.Tests.Sources;

public sealed class SourceClockSpec
{
    private static readonly DateTimeOffset T = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000);
    private static readonly long Answered = Stopwatch.GetTimestamp();

    private static SourceClock Clock() => new(new SourceClockSettings(TimeSpan.FromSeconds(2), TimeSpan.FromMinutes(1)));

    [Fact]
    public void The_offset_takes_the_sources_reading_at_the_midpoint_of_the_round_trip_and_half_of_it_bounds_the_error()
    {
        var sample = new ClockSample(T, TimeSpan.FromMilliseconds(40), T + TimeSpan.FromHours(1) + TimeSpan.FromMilliseconds(20), Answered);

        Assert.Equal(TimeSpan.FromHours(1), sample.Offset);
        Assert.Equal(TimeSpan.FromMilliseconds(20), sample.Uncertainty);
    }

    [Fact]
    public void The_sources_time_now_is_its_reading_plus_the_monotonic_time_since_the_answer_whatever_the_wall_clock_did()
    {
        var sourceTime = T + TimeSpan.FromHours(1);
        var sample = new ClockSample(T, TimeSpan.FromMilliseconds(40), sourceTime, Stopwatch.GetTimestamp() - 5 * Stopwatch.Frequency);

        var now = sample.SourceTimeNow();

        Assert.InRange(now, sourceTime + TimeSpan.FromSeconds(5), sourceTime + TimeSpan.FromSeconds(65));
    }

    [Fact]
    public void A_watermark_claims_the_sources_time_rounded_down_to_the_second()
    {
        Assert.Equal(1_700_000_000, new ClockSample(T, TimeSpan.Zero, T + TimeSpan.FromMilliseconds(999), Answered).SourceSeconds);
    }

    [Fact]
    public void The_best_reading_is_the_tightest_of_the_window_and_readings_older_than_the_window_are_dropped()
    {
        var clock = Clock();
        var tight = new ClockSample(T, TimeSpan.FromMilliseconds(2), T + TimeSpan.FromSeconds(10), Answered);
        clock.Record(tight);
        clock.Record(new ClockSample(T + TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(300), T + TimeSpan.FromSeconds(41), Answered));

        Assert.Equal(tight, clock.Best);

        var later = new ClockSample(T + TimeSpan.FromSeconds(90), TimeSpan.FromMilliseconds(100), T + TimeSpan.FromSeconds(100), Answered);
        clock.Record(later);

        Assert.NotEqual(tight, clock.Best);
        Assert.Equal(later, clock.Best);
    }

    [Fact]
    public void An_offset_beyond_the_threshold_either_way_is_a_warning_and_one_within_it_is_not()
    {
        var clock = Clock();

        Assert.Equal("clock offset -3600.000 s ± 0.5 ms exceeds actorbackup.source-clock.warn-offset (2s)",
            clock.WarningFor(new ClockSample(T, TimeSpan.FromMilliseconds(1), T - TimeSpan.FromHours(1) + TimeSpan.FromMilliseconds(0.5), Answered)));
        Assert.NotNull(clock.WarningFor(new ClockSample(T, TimeSpan.Zero, T + TimeSpan.FromSeconds(2.5), Answered)));
        Assert.Null(clock.WarningFor(new ClockSample(T, TimeSpan.Zero, T + TimeSpan.FromSeconds(1.5), Answered)));
    }
}
