namespace ActorBackup.Cli.CommandLine;

/// <summary>
/// An error the operator can act on: printed as one line (plus an optional hint), never as a stack trace.
/// </summary>
public sealed class CliError(string message, int exitCode = ExitCodes.Failure, string? hint = null) : Exception(message)
{
    public int ExitCode { get; } = exitCode;

    public string? Hint { get; } = hint;

    public static CliError Usage(string message, string verb) =>
        new(message, ExitCodes.Usage, $"see `actorbackup {verb} --help`");
}
