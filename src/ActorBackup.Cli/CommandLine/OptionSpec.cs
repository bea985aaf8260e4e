namespace ActorBackup.Cli.CommandLine;

/// <summary>
/// One option of a verb, declared once: it drives parsing, validation and --help. Options several verbs take are
/// declared in <see cref="SharedOptions"/>.
/// </summary>
/// <param name="Name">The long name without dashes, e.g. "source".</param>
/// <param name="ValueName">What the value looks like in help, e.g. "HOST:PORT"; null for a flag.</param>
/// <param name="Help">One line for --help.</param>
/// <param name="Default">The default shown in help and used when the option is absent; null for none.</param>
/// <param name="Required">Whether the verb refuses to run without it.</param>
/// <param name="Repeatable">Whether it may be given several times (values are collected in order).</param>
public sealed record OptionSpec(
    string Name,
    string? ValueName,
    string Help,
    string? Default = null,
    bool Required = false,
    bool Repeatable = false)
{
    /// <summary>How the value is written; each value given is checked against it as the command line is parsed.</summary>
    public ValueKind Kind { get; init; } = ValueKind.Text;

    /// <summary>The smallest value an <see cref="ValueKind.Integer"/> option takes.</summary>
    public int Min { get; init; } = int.MinValue;

    /// <summary>The largest value an <see cref="ValueKind.Integer"/> option takes.</summary>
    public int Max { get; init; } = int.MaxValue;

    /// <summary>A flag takes no value: present means true.</summary>
    public bool IsFlag => ValueName is null;

    public static OptionSpec Flag(string name, string help) => new(name, null, help);
}
