using System.Diagnostics;
using System.Globalization;

namespace ActorBackup.Testing;

/// <summary>
/// Waits for an assertion to pass: runs it, and again every poll interval while it throws, until it returns or the
/// patience (stretched by <see cref="Dilation.Factor"/>) has passed; then fails with the last attempt's error and how
/// long it waited. An attempt throwing <see cref="WillNotPassException"/> ends the wait at once. The one way tests
/// outside Akka's TestKit wait on a condition.
/// </summary>
public static class Eventually
{
    /// <summary>How long to wait between attempts unless told otherwise; short, since an attempt is the only evidence.</summary>
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromMilliseconds(100);

    /// <summary>Waits until <paramref name="assertion"/> runs without throwing.</summary>
    public static Task Passes(Action assertion, TimeSpan within, TimeSpan? interval = null) =>
        Passes(assertion, within, interval ?? DefaultInterval, Dilation.Factor);

    /// <summary>Waits until <paramref name="assertion"/> completes without throwing.</summary>
    public static Task Passes(Func<Task> assertion, TimeSpan within, TimeSpan? interval = null) =>
        Passes(async () =>
        {
            await assertion();
            return true;
        }, within, interval ?? DefaultInterval, Dilation.Factor);

    /// <summary>Waits until <paramref name="attempt"/> completes without throwing, and returns what it returned.</summary>
    public static Task<T> Passes<T>(Func<Task<T>> attempt, TimeSpan within, TimeSpan? interval = null) =>
        Passes(attempt, within, interval ?? DefaultInterval, Dilation.Factor);

    /// <summary>As <see cref="Passes(Action, TimeSpan, TimeSpan?)"/> with an explicit dilation factor, so the factor itself can be tested.</summary>
    internal static Task Passes(Action assertion, TimeSpan within, TimeSpan interval, double factor) =>
        Passes(() =>
        {
            assertion();
            return Task.FromResult(true);
        }, within, interval, factor);

    private static async Task<T> Passes<T>(Func<Task<T>> attempt, TimeSpan within, TimeSpan interval, double factor)
    {
        var limit = within * factor;
        var clock = Stopwatch.StartNew();
        for (var attempts = 1; ; attempts++)
        {
            Exception failure;
            try
            {
                return await attempt();
            }
            catch (Exception e) when (e is not WillNotPassException)
            {
                failure = e;
            }
            var left = limit - clock.Elapsed;
            if (left <= TimeSpan.Zero)
                throw new TimeoutException(Describe(failure, clock.Elapsed, attempts, within, factor), failure);
            // Whole milliseconds: Task.Delay completes at once below one, which would spin until the deadline.
            await Task.Delay(left < interval ? TimeSpan.FromMilliseconds(Math.Ceiling(left.TotalMilliseconds)) : interval);
        }
    }

    private static string Describe(Exception failure, TimeSpan waited, int attempts, TimeSpan within, double factor)
    {
        var patience = factor == 1
            ? Seconds(within)
            : $"{Seconds(within)} × dilation {factor.ToString(CultureInfo.InvariantCulture)} = {Seconds(within * factor)}";
        return $"Still failing after {Seconds(waited)} and {attempts} attempts (patience {patience}): {failure.GetType().Name}: {failure.Message}";
    }

    private static string Seconds(TimeSpan t) => $"{t.TotalSeconds.ToString("0.0##", CultureInfo.InvariantCulture)} s";
}
