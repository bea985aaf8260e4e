using System.Globalization;

namespace ActorBackup.Testing;

/// <summary>
/// The one factor every test deadline is multiplied by, read from <see cref="Variable"/> (default 1): a slow or busy
/// machine stretches deadlines without editing tests. <see cref="Eventually"/> applies it, and the TestKit specs pass
/// it to Akka as <c>akka.test.timefactor</c>, so <c>Dilated</c>, <c>AwaitAssert</c> and <c>ExpectMsg</c> agree.
/// </summary>
public static class Dilation
{
    /// <summary>The environment variable holding the factor, for example <c>ACTORBACKUP_TEST_DILATION=3 ./test.sh</c>.</summary>
    public const string Variable = "ACTORBACKUP_TEST_DILATION";

    private static readonly Lazy<double> Configured = new(() => Parse(Environment.GetEnvironmentVariable(Variable)));

    /// <summary>The factor of this test run; a value that is not a positive number fails every test that waits, naming the variable.</summary>
    public static double Factor => Configured.Value;

    /// <summary><paramref name="patience"/> stretched by <see cref="Factor"/>.</summary>
    public static TimeSpan Dilate(TimeSpan patience) => patience * Factor;

    /// <summary>The factor a value of <see cref="Variable"/> stands for: 1 when unset or empty.</summary>
    public static double Parse(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
            return 1;
        if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var factor) && double.IsFinite(factor) && factor > 0)
            return factor;
        throw new InvalidOperationException(
            $"{Variable}={value} is not a positive number: it multiplies every test deadline (unset or 1 keeps them as written, 3 makes them three times as long).");
    }
}
