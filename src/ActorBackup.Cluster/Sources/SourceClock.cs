using ActorBackup.Cluster.Settings;

namespace ActorBackup.Cluster.Sources;

/// <summary>
/// The recent clock readings of one source and what they say. The offset reported is the reading with the shortest
/// round trip within <see cref="SourceClockSettings.Window"/> of the newest (the tightest bound of the stretch, as NTP's
/// clock filter does); an offset beyond <see cref="SourceClockSettings.WarnOffset"/> either way is a warning.
/// Thread-safe: every connection to the source records into it.
/// </summary>
public sealed class SourceClock(SourceClockSettings settings)
{
    private readonly object _gate = new();
    private readonly LinkedList<ClockSample> _samples = [];

    /// <summary>The best reading of the window, or null before the first.</summary>
    public ClockSample? Best
    {
        get
        {
            lock (_gate)
            {
                ClockSample? best = null;
                foreach (var sample in _samples)
                    if (best is not { } b || sample.RoundTrip < b.RoundTrip)
                        best = sample;
                return best;
            }
        }
    }

    /// <summary>Records a reading and drops those older than the window before it.</summary>
    public void Record(ClockSample sample)
    {
        lock (_gate)
        {
            _samples.AddLast(sample);
            var newest = _samples.Max(s => s.Sent);
            while (_samples.First is { } first && first.Value.Sent < newest - settings.Window)
                _samples.RemoveFirst();
        }
    }

    /// <summary>The warning an offset calls for, or null when it is within the threshold.</summary>
    public string? WarningFor(ClockSample sample) =>
        sample.Offset.Duration() > settings.WarnOffset
            ? $"clock offset {Describe(sample)} exceeds actorbackup.source-clock.warn-offset ({SettingsReader.Show(settings.WarnOffset)})"
            : null;

    /// <summary>"+3600.002 s ± 0.4 ms": the offset (source minus this node) and its uncertainty.</summary>
    public static string Describe(ClockSample sample) =>
        FormattableString.Invariant($"{sample.Offset.TotalSeconds:+0.000;-0.000} s ± {sample.Uncertainty.TotalMilliseconds:0.0} ms");
}
