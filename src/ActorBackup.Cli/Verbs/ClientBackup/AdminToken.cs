using ActorBackup.Cli.CommandLine;

namespace ActorBackup.Cli.Verbs.ClientBackup;

/// <summary>
/// The admin API token a client sends as <c>Authorization: Bearer</c>: from <c>--token-file</c>, else from the
/// environment variable <see cref="Variable"/>, else none. Nodes do not check tokens yet; a read-only one will do.
/// </summary>
internal static class AdminToken
{
    public const string Variable = "ACTORBACKUP_ADMIN_TOKEN";

    /// <param name="file">The --token-file value, if given.</param>
    /// <param name="environment">Reads an environment variable (Environment.GetEnvironmentVariable in the CLI).</param>
    public static string? Resolve(string? file, Func<string, string?> environment)
    {
        if (file is null)
            return environment(Variable) is { Length: > 0 } fromEnvironment ? Checked(fromEnvironment.Trim(), $"${Variable}") : null;
        string text;
        try
        {
            text = File.ReadAllText(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliError($"cannot read the token file {file}: {e.Message}");
        }
        return Checked(text.Trim(), file);
    }

    private static string Checked(string token, string from)
    {
        if (token.Length == 0)
            throw new CliError($"{from} holds no token");
        if (token.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
            throw new CliError($"{from} holds more than one word: a token is one line without spaces");
        return token;
    }
}
