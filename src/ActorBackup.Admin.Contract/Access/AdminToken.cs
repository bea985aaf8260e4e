namespace ActorBackup.Admin.Contract.Access;

/// <summary>
/// An admin API token: one line without spaces, kept in a file (a Docker secret) or an environment variable, sent as
/// <c>Authorization: Bearer TOKEN</c>. Node and clients read it by the same rules.
/// </summary>
public static class AdminToken
{
    /// <summary>The token a client sends, and a node's own token when it has no token file.</summary>
    public const string Variable = "ACTORBACKUP_ADMIN_TOKEN";

    /// <summary>A node's read-only token when it has no read token file.</summary>
    public const string ReadVariable = "ACTORBACKUP_ADMIN_READ_TOKEN";

    /// <summary>The token from <paramref name="file"/>, else from the environment variable <paramref name="variable"/>, else null.</summary>
    /// <exception cref="AdminTokenException">The file cannot be read, or it or the variable holds no token or more than one word.</exception>
    public static string? Resolve(string? file, string variable, Func<string, string?> environment)
    {
        if (file is not null)
            return Read(file);
        return environment(variable) is { Length: > 0 } value ? Parse(value, $"${variable}") : null;
    }

    /// <summary>The token held by <paramref name="file"/>.</summary>
    /// <exception cref="AdminTokenException">It cannot be read or holds no token or more than one word.</exception>
    public static string Read(string file)
    {
        string text;
        try
        {
            text = File.ReadAllText(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new AdminTokenException($"cannot read the token file {file}: {e.Message}");
        }
        return Parse(text, file);
    }

    /// <summary>The token in <paramref name="text"/> (surrounding white space dropped); <paramref name="from"/> names it in errors.</summary>
    /// <exception cref="AdminTokenException">No token, or more than one word.</exception>
    public static string Parse(string text, string from)
    {
        var token = text.Trim();
        if (token.Length == 0)
            throw new AdminTokenException($"{from} holds no token");
        if (token.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
            throw new AdminTokenException($"{from} holds more than one word: a token is one line without spaces");
        return token;
    }

    /// <summary>A new random token: 32 bytes, base64url.</summary>
    public static string New() =>
        Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
