using System.Globalization;
using ActorBackup.Recovery.Archive;

namespace ActorBackup.Cli.CommandLine;

/// <summary>
/// The options of one invocation, validated against the verb's <see cref="OptionSpec"/>s.
/// Typed getters turn a bad value into a one-line usage error naming the option.
/// </summary>
public sealed class ParsedArgs
{
    private readonly string _verb;
    private readonly Dictionary<string, OptionSpec> _specs;
    private readonly Dictionary<string, List<string>> _values;

    private ParsedArgs(string verb, Dictionary<string, OptionSpec> specs, Dictionary<string, List<string>> values, IReadOnlyList<string> positional)
    {
        _verb = verb;
        _specs = specs;
        _values = values;
        Positional = positional;
    }

    /// <summary>Arguments that are not options, in order.</summary>
    public IReadOnlyList<string> Positional { get; }

    /// <summary>
    /// Parses `--name value`, `--name=value` and `--flag`; refuses unknown options, missing required ones, and values
    /// that are not of their option's <see cref="OptionSpec.Kind"/>.
    /// </summary>
    public static ParsedArgs Parse(string verb, IReadOnlyList<OptionSpec> options, IReadOnlyList<string> args)
    {
        var specs = options.ToDictionary(o => o.Name, StringComparer.Ordinal);
        var values = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var positional = new List<string>();
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal) || arg == "--")
            {
                positional.Add(arg);
                continue;
            }
            var body = arg[2..];
            string? inline = null;
            var eq = body.IndexOf('=');
            if (eq >= 0)
            {
                inline = body[(eq + 1)..];
                body = body[..eq];
            }
            if (!specs.TryGetValue(body, out var spec))
                throw CliError.Usage($"unknown option --{body}", verb);
            string value;
            if (spec.IsFlag)
            {
                if (inline is not null && inline is not ("true" or "false"))
                    throw CliError.Usage($"--{body} is a flag and takes no value (got '{inline}')", verb);
                value = inline ?? "true";
            }
            else if (inline is not null)
            {
                value = inline;
            }
            else if (i + 1 < args.Count)
            {
                value = args[++i];
            }
            else
            {
                throw CliError.Usage($"--{body} needs a value ({spec.ValueName})", verb);
            }
            if (!values.TryGetValue(body, out var list))
                values[body] = list = [];
            else if (!spec.Repeatable)
                throw CliError.Usage($"--{body} given more than once", verb);
            Check(spec, value, verb);
            list.Add(value);
        }
        foreach (var spec in options)
        {
            if (spec.Required && !values.ContainsKey(spec.Name))
                throw CliError.Usage($"--{spec.Name} {spec.ValueName} is required", verb);
        }
        return new ParsedArgs(verb, specs, values, positional);
    }

    /// <summary>Whether the option was given on the command line.</summary>
    public bool Has(string name) => _values.ContainsKey(Spec(name).Name);

    /// <summary>The value given, else the declared default, else null.</summary>
    public string? GetString(string name) =>
        _values.TryGetValue(Spec(name).Name, out var list) ? list[^1] : _specs[name].Default;

    /// <summary>The value, which must be present (given or defaulted).</summary>
    public string GetRequiredString(string name) =>
        GetString(name) ?? throw CliError.Usage($"--{name} {_specs[name].ValueName} is required", _verb);

    /// <summary>
    /// Every value of a repeatable option, or the default as a single value; table names may also come as one
    /// comma-separated value (<c>--tables bigchain,votes</c>), which gives each name.
    /// </summary>
    public IReadOnlyList<string> GetAll(string name)
    {
        var spec = Spec(name);
        IReadOnlyList<string> values = _values.TryGetValue(spec.Name, out var list) ? list : spec.Default is { } d ? [d] : [];
        return spec.Kind == ValueKind.TableName ? values.SelectMany(TableNames).ToList() : values;
    }

    private static string[] TableNames(string raw) => raw.Split(',', StringSplitOptions.TrimEntries);

    /// <summary>A flag's state.</summary>
    public bool GetFlag(string name) => GetString(name) is "true";

    /// <summary>An integer within [min, max].</summary>
    public int GetInt(string name, int min = int.MinValue, int max = int.MaxValue) => ParseInt(name, GetRequiredString(name), min, max, _verb);

    /// <summary>A number of seconds within the range the option declares.</summary>
    public TimeSpan GetSeconds(string name) => TimeSpan.FromSeconds(GetInt(name, _specs[name].Min, _specs[name].Max));

    /// <summary>A 64-bit integer within [min, max].</summary>
    public long GetLong(string name, long min = long.MinValue, long max = long.MaxValue)
    {
        var raw = GetRequiredString(name);
        if (!long.TryParse(raw, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) || v < min || v > max)
            throw CliError.Usage($"--{name} must be an integer{Range(min, max)} (got '{raw}')", _verb);
        return v;
    }

    /// <summary>A finite number within [min, max].</summary>
    public double GetDouble(string name, double min = double.MinValue, double max = double.MaxValue)
    {
        var raw = GetRequiredString(name);
        if (!double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) || !double.IsFinite(v) || v < min || v > max)
            throw CliError.Usage($"--{name} must be a number{RangeD(min, max)} (got '{raw}')", _verb);
        return v;
    }

    /// <summary>A "host:port" endpoint.</summary>
    public (string Host, int Port) GetEndpoint(string name) => ParseEndpoint(name, GetRequiredString(name), _verb);

    /// <summary>An absolute http:// or https:// URL.</summary>
    public Uri GetUrl(string name) => ParseUrl(name, GetRequiredString(name), _verb);

    /// <summary>A point in time: Unix seconds or ISO 8601.</summary>
    public DateTimeOffset GetTime(string name) => ParseTime(name, GetRequiredString(name), _verb);

    /// <summary>Throws the usage error for a value that is not of the option's kind.</summary>
    private static void Check(OptionSpec spec, string raw, string verb)
    {
        switch (spec.Kind)
        {
            case ValueKind.Url:
                ParseUrl(spec.Name, raw, verb);
                break;
            case ValueKind.Endpoint:
                ParseEndpoint(spec.Name, raw, verb);
                break;
            case ValueKind.Integer:
                ParseInt(spec.Name, raw, spec.Min, spec.Max, verb);
                break;
            case ValueKind.Time:
                ParseTime(spec.Name, raw, verb);
                break;
            case ValueKind.TableName when !TableNames(raw).All(DumpArchiveWriter.IsValidName):
                throw CliError.Usage($"--{spec.Name} must be table names of letters, digits, _ and -, repeated or separated by commas (got '{raw}')", verb);
        }
    }

    private static int ParseInt(string name, string raw, int min, int max, string verb)
    {
        if (!int.TryParse(raw, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) || v < min || v > max)
            throw CliError.Usage($"--{name} must be an integer{Range(min, max)} (got '{raw}')", verb);
        return v;
    }

    private static (string Host, int Port) ParseEndpoint(string name, string raw, string verb)
    {
        var colon = raw.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(raw.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
            throw CliError.Usage($"--{name} must be HOST:PORT with a port from 1 to 65535 (got '{raw}')", verb);
        return (raw[..colon], port);
    }

    private static Uri ParseUrl(string name, string raw, string verb)
    {
        if (!Uri.TryCreate(raw, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
            throw CliError.Usage($"--{name} must be an http:// URL (got '{raw}')", verb);
        return url;
    }

    private static DateTimeOffset ParseTime(string name, string raw, string verb)
    {
        if (long.TryParse(raw, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var seconds)
            && seconds >= DateTimeOffset.MinValue.ToUnixTimeSeconds() && seconds <= DateTimeOffset.MaxValue.ToUnixTimeSeconds())
            return DateTimeOffset.FromUnixTimeSeconds(seconds);
        if (raw.Contains('T') && DateTimeOffset.TryParse(raw, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time))
            return time;
        throw CliError.Usage($"--{name} must be Unix seconds or an ISO 8601 time such as 2017-07-14T12:00:00Z (got '{raw}')", verb);
    }

    private OptionSpec Spec(string name) =>
        _specs.TryGetValue(name, out var s) ? s : throw new ArgumentException($"verb {_verb} declares no option --{name}", nameof(name));

    private static string Range(long min, long max) =>
        (min, max) switch
        {
            (long.MinValue or int.MinValue, long.MaxValue or int.MaxValue) => "",
            (_, long.MaxValue or int.MaxValue) => $" of at least {min}",
            _ => $" from {min} to {max}",
        };

    private static string RangeD(double min, double max) =>
        (min, max) switch
        {
            (double.MinValue, double.MaxValue) => "",
            (_, double.MaxValue) => $" of at least {min.ToString(CultureInfo.InvariantCulture)}",
            _ => $" from {min.ToString(CultureInfo.InvariantCulture)} to {max.ToString(CultureInfo.InvariantCulture)}",
        };
}
