namespace ActorBackup.Cli.CommandLine;

/// <summary>One verb of the executable (`actorbackup VERB ...`).</summary>
public interface IVerb
{
    /// <summary>The word typed after `actorbackup`.</summary>
    string Name { get; }

    /// <summary>One line for the verb list.</summary>
    string Summary { get; }

    /// <summary>Every option the verb takes.</summary>
    IReadOnlyList<OptionSpec> Options { get; }

    /// <summary>Command lines shown under "Examples" in --help.</summary>
    IReadOnlyList<string> Examples { get; }

    /// <summary>
    /// Checks the option values as <see cref="RunAsync"/> reads them (formats, ranges, options that go together)
    /// without doing anything: no connection, nothing written. Throws a usage <see cref="CliError"/> on the first problem.
    /// </summary>
    void Check(ParsedArgs args);

    /// <summary>Does the work; returns an exit code from <see cref="ExitCodes"/> or throws <see cref="CliError"/>.</summary>
    Task<int> RunAsync(ParsedArgs args, TextWriter output, CancellationToken cancellationToken);
}
