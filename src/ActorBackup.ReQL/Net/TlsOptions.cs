using System.Security.Cryptography.X509Certificates;

namespace ActorBackup.ReQL.Net;

/// <summary>
/// TLS on the connection (RethinkDB's <c>--driver-tls-key</c>/<c>--driver-tls-cert</c>): the server's certificate must
/// chain to one of <see cref="Authorities"/> and be valid for <see cref="ServerName"/>, or the connection is refused
/// before anything, the login included, is sent.
/// </summary>
public sealed record TlsOptions
{
    /// <summary>The certificate authorities trusted for this server; empty trusts the system's root store instead.</summary>
    public X509Certificate2Collection Authorities { get; init; } = [];

    /// <summary>The name the server's certificate must be issued for; null for the host connected to.</summary>
    public string? ServerName { get; init; }
}
