namespace ActorBackup.Bench;

/// <summary>A benchmark's command line: options with a value (<c>--records 20000</c>) and flags without one (<c>--written-first</c>).</summary>
internal static class BenchArguments
{
    /// <summary>
    /// Applies each option and flag of <paramref name="args"/> to <paramref name="options"/> in order, through
    /// <paramref name="apply"/> (given the option's name and value, or null for one of <paramref name="flags"/>).
    /// </summary>
    /// <exception cref="BenchUsageException">An option is unknown, comes without a value, or has one it does not take.</exception>
    public static T Fold<T>(string[] args, T options, IReadOnlySet<string> flags, Func<T, string, string?, T> apply)
    {
        for (var i = 0; i < args.Length; i++)
        {
            if (flags.Contains(args[i]))
            {
                options = Apply(apply, options, args[i], null);
                continue;
            }
            if (i + 1 == args.Length) throw new BenchUsageException($"{args[i]} needs a value");
            options = Apply(apply, options, args[i], args[i + 1]);
            i++;
        }
        return options;
    }

    /// <summary>An option's integer value (a malformed one is a <see cref="BenchUsageException"/> through <see cref="Fold"/>).</summary>
    public static int Int(string? value) => int.Parse(value!, System.Globalization.CultureInfo.InvariantCulture);

    private static T Apply<T>(Func<T, string, string?, T> apply, T options, string name, string? value)
    {
        try
        {
            return apply(options, name, value);
        }
        catch (Exception e) when (e is ArgumentException or FormatException or OverflowException)
        {
            throw new BenchUsageException(e is ArgumentException ? e.Message : $"{name} takes an integer, not {value}");
        }
    }
}

/// <summary>A benchmark's command line is wrong: the message says how, in one line.</summary>
internal sealed class BenchUsageException(string message) : Exception(message);
