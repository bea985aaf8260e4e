using System.Security.Cryptography.X509Certificates;

namespace ActorBackup.Certificates;

/// <summary>
/// Trust in exactly one certificate authority, the cluster's: a peer is accepted only when its certificate chains to that
/// CA, never to a root of the operating system's store, is within its validity period and is meant for TLS. Revocation is
/// not checked (a private CA publishes no revocation list); a node leaves the cluster for good by a new CA.
/// </summary>
public sealed class ClusterTrust
{
    private readonly X509Certificate2 _authority;

    private ClusterTrust(X509Certificate2 authority) => _authority = authority;

    /// <summary>The CA certificate every peer must chain to.</summary>
    public X509Certificate2 Authority => _authority;

    /// <summary>Trusts the CA certificate in the PEM file <paramref name="caFile"/>.</summary>
    /// <exception cref="CertificateException">The file cannot be read or holds no CA certificate.</exception>
    public static ClusterTrust Load(string caFile)
    {
        X509Certificate2 ca;
        try
        {
            ca = X509Certificate2.CreateFromPem(File.ReadAllText(caFile));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException or ArgumentException)
        {
            throw new CertificateException($"cannot read the CA certificate {caFile}: {FirstLine(e.Message)}", e);
        }
        return Of(ca, caFile);
    }

    /// <summary>Trusts <paramref name="ca"/>; <paramref name="origin"/> names it in errors.</summary>
    /// <exception cref="CertificateException">It is not a CA certificate.</exception>
    public static ClusterTrust Of(X509Certificate2 ca, string origin)
    {
        var constraints = ca.Extensions.OfType<X509BasicConstraintsExtension>().FirstOrDefault();
        if (constraints is not { CertificateAuthority: true })
            throw new CertificateException($"{origin} is not a CA certificate (its basic constraints do not allow signing certificates)");
        return new ClusterTrust(ca);
    }

    /// <summary>Whether <paramref name="peer"/> chains to the cluster's CA; when not, <paramref name="reason"/> says why in a few words.</summary>
    public bool Accepts(X509Certificate2? peer, out string reason)
    {
        if (peer is null)
        {
            reason = "no certificate was presented";
            return false;
        }
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(_authority);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.DisableCertificateDownloads = true;
        if (!chain.Build(peer))
        {
            reason = string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation.Trim()).Where(s => s.Length > 0).DefaultIfEmpty("its chain does not end at the cluster's CA"));
            reason = $"{peer.Subject}: {reason}";
            return false;
        }
        var root = chain.ChainElements[^1].Certificate;
        if (!root.RawDataMemory.Span.SequenceEqual(_authority.RawDataMemory.Span))
        {
            reason = $"{peer.Subject} chains to {root.Subject}, not to the cluster's CA";
            return false;
        }
        if (peer.RawDataMemory.Span.SequenceEqual(_authority.RawDataMemory.Span))
        {
            reason = "the CA certificate itself is not a node's certificate";
            return false;
        }
        reason = "";
        return true;
    }

    private static string FirstLine(string message) => message.Split('\n', 2)[0].Trim().TrimEnd('.');
}
