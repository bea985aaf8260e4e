using ActorBackup.Admin.Contract.Access;

namespace ActorBackup.Cli.CommandLine;

/// <summary>The admin token of a verb that talks to --admin: from --token-file, else from $ACTORBACKUP_ADMIN_TOKEN, else none.</summary>
internal static class AdminCredentials
{
    /// <exception cref="CliError">The file cannot be read, or it or the variable holds no token or more than one word.</exception>
    public static string? Token(ParsedArgs args) => Token(args.GetString("token-file"));

    /// <exception cref="CliError">The file cannot be read, or it or the variable holds no token or more than one word.</exception>
    public static string? Token(string? file)
    {
        try
        {
            return AdminToken.Resolve(file, AdminToken.Variable, Environment.GetEnvironmentVariable);
        }
        catch (AdminTokenException e)
        {
            throw new CliError(e.Message);
        }
    }

    /// <summary>An HTTP client for the admin API whose every request carries the verb's token.</summary>
    public static HttpClient Client(ParsedArgs args, TimeSpan timeout) => AdminHttp.Create(timeout, Token(args));
}
