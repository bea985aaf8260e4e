using System.Globalization;
using ActorBackup.Cli.CommandLine;

namespace ActorBackup.Cli.Verbs.Restore;

/// <summary>A point in time given on the command line: Unix seconds or ISO 8601.</summary>
internal static class TimeArgument
{
    public static DateTimeOffset Parse(string raw, string option, string verb)
    {
        if (long.TryParse(raw, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var seconds)
            && seconds >= DateTimeOffset.MinValue.ToUnixTimeSeconds() && seconds <= DateTimeOffset.MaxValue.ToUnixTimeSeconds())
            return DateTimeOffset.FromUnixTimeSeconds(seconds);
        if (raw.Contains('T') && DateTimeOffset.TryParse(raw, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time))
            return time;
        throw CliError.Usage($"--{option} must be Unix seconds or an ISO 8601 time such as 2017-07-14T12:00:00Z (got '{raw}')", verb);
    }
}
