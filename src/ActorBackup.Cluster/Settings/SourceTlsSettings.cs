using System.Security.Cryptography.X509Certificates;
using ActorBackup.ReQL.Net;

namespace ActorBackup.Cluster.Settings;

/// <summary>
/// TLS on the node's connections to its sources (<c>actorbackup.source-tls</c>). The CA file is read once, when the
/// settings are, so a missing or unreadable file stops the node at start instead of failing every connection later.
/// </summary>
/// <param name="CaFile">Full path of the PEM file of the authorities the sources' certificates must chain to; null trusts the system's roots.</param>
/// <param name="ServerName">The name the sources' certificates must be issued for; null for each source's own host.</param>
/// <param name="Authorities">The certificates read from <paramref name="CaFile"/>.</param>
public sealed record SourceTlsSettings(bool Enabled, string? CaFile, string? ServerName, X509Certificate2Collection Authorities)
{
    public static SourceTlsSettings Off { get; } = new(false, null, null, []);

    /// <summary>The driver's TLS options, or null when TLS is off.</summary>
    public TlsOptions? Options() => Enabled ? new TlsOptions { Authorities = Authorities, ServerName = ServerName } : null;
}
