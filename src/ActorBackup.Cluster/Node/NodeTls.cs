using ActorBackup.Certificates;
using ActorBackup.Cluster.Settings;
using Akka.Actor.Setup;
using Akka.Event;
using Akka.Remote.Transport.DotNetty;

namespace ActorBackup.Cluster.Node;

/// <summary>
/// Mutual TLS between nodes: the node presents its certificate on every connection, both the ones it accepts and the
/// ones it makes, and completes a handshake only with a peer whose certificate chains to the cluster's CA. The
/// operating system's roots play no part, so a certificate from any other authority, however valid elsewhere, is
/// refused, and so is a peer that presents none.
/// </summary>
public static class NodeTls
{
    /// <summary>The Akka setup that turns <paramref name="tls"/> into the remoting's TLS.</summary>
    /// <exception cref="BackupSettingsException">A file cannot be read or is not what it should be (one line).</exception>
    public static Setup For(TlsSettings tls)
    {
        ClusterTrust trust;
        System.Security.Cryptography.X509Certificates.X509Certificate2 certificate;
        try
        {
            trust = ClusterTrust.Load(tls.CaFile);
            certificate = NodeCertificate.Load(tls.CertificateFile, tls.KeyFile);
        }
        catch (CertificateException e)
        {
            throw new BackupSettingsException($"actorbackup.tls: {e.Message}.");
        }
        if (!trust.Accepts(certificate, out var reason))
            throw new BackupSettingsException($"actorbackup.tls: this node's own certificate is not the cluster CA's: {reason}.");
        // The default validation would consult the operating system's roots first; ours replaces it.
        return new DotNettySslSetup(certificate, suppressValidation: false, requireMutualAuthentication: true, validateCertificateHostname: false,
            customValidator: (peer, _, remote, _, log) => Check(trust, peer, remote, log));
    }

    private static bool Check(ClusterTrust trust, System.Security.Cryptography.X509Certificates.X509Certificate2? peer, string remote, ILoggingAdapter? log)
    {
        if (trust.Accepts(peer, out var reason))
            return true;
        log?.Warning("Refused a TLS connection with {0}: {1}", remote, reason);
        return false;
    }
}
