using System.Net;
using System.Security.Cryptography;
using System.Text;
using ActorBackup.Admin.Contract.Access;
using ActorBackup.Cluster.Settings;

namespace ActorBackup.Cluster.Admin;

/// <summary>
/// Who may call the admin endpoint: the bearer of the admin token may call every route, the bearer of the read token
/// the GET routes only; /health and /metrics need no token. Tokens are compared in constant time (their SHA-256, so
/// that not even their length leaks). Without an admin token the endpoint is open, which only a loopback endpoint allows.
/// </summary>
public sealed class AdminAccess
{
    private readonly byte[]? _admin;
    private readonly byte[]? _read;

    private AdminAccess(string? admin, string? read)
    {
        _admin = admin is null ? null : Hash(admin);
        _read = read is null ? null : Hash(read);
    }

    /// <summary>Whether every route but health and metrics asks for a token.</summary>
    public bool RequiresToken => _admin is not null;

    /// <summary>An endpoint open to every caller that can reach it (tests and loopback demos).</summary>
    public static AdminAccess Open { get; } = new(null, null);

    /// <summary>The tokens <paramref name="settings"/> names, read from their files or the environment.</summary>
    /// <exception cref="BackupSettingsException">A token cannot be read, a read token comes without an admin token, the two are equal, or the endpoint is not loopback and has no token (one line).</exception>
    public static AdminAccess Load(AdminSettings settings, Func<string, string?> environment)
    {
        string? admin, read;
        try
        {
            admin = AdminToken.Resolve(settings.TokenFile, AdminToken.Variable, environment);
            read = AdminToken.Resolve(settings.ReadTokenFile, AdminToken.ReadVariable, environment);
        }
        catch (AdminTokenException e)
        {
            throw new BackupSettingsException($"actorbackup.admin: {e.Message}.");
        }
        if (admin is null && read is not null)
            throw new BackupSettingsException("actorbackup.admin.read-token-file is set without token-file: a read-only token needs an admin token beside it.");
        if (admin is not null && admin == read)
            throw new BackupSettingsException("actorbackup.admin: the read token is the admin token; give the read-only token its own value.");
        if (admin is null && !IsLoopback(settings.Endpoint.Host))
            throw new BackupSettingsException(
                $"actorbackup.admin.endpoint {settings.Endpoint} is not a loopback address, so the admin API needs a token: set actorbackup.admin.token-file (or ${AdminToken.Variable}).");
        return new AdminAccess(admin, read);
    }

    /// <summary>Which routes need no token at all: they reveal nothing a scrape or a load balancer should not see.</summary>
    public static bool IsPublic(string path) => path is "/health" or "/metrics";

    /// <summary>What the caller may do with <paramref name="authorization"/> (the header's value, or null) for a <paramref name="method"/> request.</summary>
    public AccessDecision Decide(string method, string? authorization)
    {
        if (_admin is null)
            return AccessDecision.Allowed;
        if (authorization is null || !authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            return AccessDecision.NoToken;
        var presented = Hash(authorization["Bearer ".Length..].Trim());
        if (CryptographicOperations.FixedTimeEquals(presented, _admin))
            return AccessDecision.Allowed;
        if (_read is not null && CryptographicOperations.FixedTimeEquals(presented, _read))
            return method is "GET" or "HEAD" ? AccessDecision.Allowed : AccessDecision.ReadOnly;
        return AccessDecision.WrongToken;
    }

    private static byte[] Hash(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token));

    private static bool IsLoopback(string host) =>
        host == "localhost" || (IPAddress.TryParse(host, out var ip) && IPAddress.IsLoopback(ip));
}

/// <summary>The outcome of checking a request's token.</summary>
public enum AccessDecision
{
    Allowed,

    /// <summary>No <c>Authorization: Bearer</c> header: 401.</summary>
    NoToken,

    /// <summary>A token that is neither the admin nor the read token: 401.</summary>
    WrongToken,

    /// <summary>The read token on a route that changes something: 403.</summary>
    ReadOnly,
}
