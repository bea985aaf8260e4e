namespace ActorBackup.Cluster.Settings;

/// <summary>
/// Everything under <c>actorbackup.admin</c>: where the admin endpoint listens, which tokens it asks for, and the bounds
/// on what one client may cost it. Keys, units and ranges are documented in reference.conf.
/// </summary>
/// <param name="TokenFile">Full path of the file holding the token every route but /health and /metrics asks for; null for none (then the environment variable, else an open endpoint, loopback only).</param>
/// <param name="ReadTokenFile">Full path of the file holding a token good for GET routes only; null for none (then the environment variable).</param>
/// <param name="MaxBodyBytes">Most bytes of one request body; a longer one is cut off with 413.</param>
/// <param name="RequestTimeout">Longest a client may take to send its request body; past it the connection is closed.</param>
/// <param name="MaxConcurrentRequests">Requests handled at once; more are answered 503 at once.</param>
/// <param name="AllowedOrigins">Browser origins allowed to call the endpoint; a request with any other Origin header is refused with 403.</param>
public sealed record AdminSettings(
    HostPort Endpoint, string? TokenFile, string? ReadTokenFile, long MaxBodyBytes, TimeSpan RequestTimeout, int MaxConcurrentRequests,
    IReadOnlyList<string> AllowedOrigins)
{
    internal static AdminSettings Read(SettingsReader r)
    {
        var endpoint = r.String("admin.endpoint");
        var token = r.String("admin.token-file", allowEmpty: true);
        var readToken = r.String("admin.read-token-file", allowEmpty: true);
        var origins = r.StringList("admin.allowed-origins");
        foreach (var origin in origins)
        {
            if (!Uri.TryCreate(origin, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.PathAndQuery != "/" || origin.EndsWith('/'))
                throw new BackupSettingsException($"{r.Key("admin.allowed-origins")}: \"{origin}\" is not an origin such as \"https://ops.example.org\" (scheme, host and port, no path).");
        }
        return new AdminSettings(
            HostPort.TryParse(endpoint, out var error)
                ?? throw new BackupSettingsException($"{r.Key("admin.endpoint")}: \"{endpoint}\" is not a valid \"host:port\" ({error})."),
            token.Length == 0 ? null : Path.GetFullPath(token),
            readToken.Length == 0 ? null : Path.GetFullPath(readToken),
            r.Size("admin.max-body-size", 1024, 1L << 40),
            r.Duration("admin.request-timeout", TimeSpan.FromSeconds(1), TimeSpan.FromHours(24)),
            r.Int("admin.max-concurrent-requests", 1, 10_000),
            origins);
    }
}
