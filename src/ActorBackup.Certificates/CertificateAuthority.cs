using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace ActorBackup.Certificates;

/// <summary>
/// The cluster's certificate authority: an ECDSA P-256 key and a self-signed CA certificate that signs one certificate
/// per node. Node certificates are good for both ends of a TLS connection (server and client authentication), since each
/// node both accepts connections and makes them.
/// </summary>
public sealed class CertificateAuthority : IDisposable
{
    private readonly ECDsa _key;

    private CertificateAuthority(X509Certificate2 certificate, ECDsa key)
    {
        Certificate = certificate;
        _key = key;
    }

    /// <summary>The CA certificate (public): what every node trusts.</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>A new CA named <paramref name="name"/>, valid from now for <paramref name="validity"/>.</summary>
    public static CertificateAuthority Create(string name, TimeSpan validity)
    {
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(new X500DistinguishedName($"CN={Escape(name)}"), key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var now = DateTimeOffset.UtcNow;
        using var signed = request.CreateSelfSigned(now.AddMinutes(-5), now + validity);
        return new CertificateAuthority(X509CertificateLoader.LoadCertificate(signed.RawData), key);
    }

    /// <summary>The CA whose certificate and key are the PEM files <paramref name="certificateFile"/> and <paramref name="keyFile"/>.</summary>
    /// <exception cref="CertificateException">A file cannot be read, or the key is not the certificate's.</exception>
    public static CertificateAuthority Load(string certificateFile, string keyFile)
    {
        var trust = ClusterTrust.Load(certificateFile);
        ECDsa key;
        try
        {
            key = ECDsa.Create();
            key.ImportFromPem(File.ReadAllText(keyFile));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException or ArgumentException)
        {
            throw new CertificateException($"cannot read the CA key {keyFile}: {e.Message.Split('\n')[0].Trim().TrimEnd('.')}", e);
        }
        using var expected = trust.Authority.GetECDsaPublicKey();
        if (expected is null || !expected.ExportSubjectPublicKeyInfo().AsSpan().SequenceEqual(key.ExportSubjectPublicKeyInfo()))
            throw new CertificateException($"{keyFile} is not the key of the CA certificate {certificateFile}");
        return new CertificateAuthority(trust.Authority, key);
    }

    /// <summary>
    /// A certificate for the node <paramref name="name"/>, with the name and each of <paramref name="hosts"/> as subject
    /// alternative names (DNS names, or IP addresses when they parse as one), and its new private key.
    /// </summary>
    public (X509Certificate2 Certificate, ECDsa Key) Issue(string name, IReadOnlyList<string> hosts, TimeSpan validity)
    {
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(new X500DistinguishedName($"CN={Escape(name)}"), key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyAgreement, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [new Oid("1.3.6.1.5.5.7.3.1"), new Oid("1.3.6.1.5.5.7.3.2")], false));
        var names = new SubjectAlternativeNameBuilder();
        foreach (var host in new[] { name }.Concat(hosts).Distinct(StringComparer.Ordinal))
        {
            if (System.Net.IPAddress.TryParse(host, out var ip))
                names.AddIpAddress(ip);
            else
                names.AddDnsName(host);
        }
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(Certificate, true, false));
        var now = DateTimeOffset.UtcNow;
        var notAfter = now + validity > Certificate.NotAfter ? new DateTimeOffset(Certificate.NotAfter.ToUniversalTime()) : now + validity;
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;
        using var signed = request.Create(Certificate.SubjectName, X509SignatureGenerator.CreateForECDsa(_key), now.AddMinutes(-5), notAfter, serial);
        return (X509CertificateLoader.LoadCertificate(signed.RawData), key);
    }

    /// <summary>The CA's private key in PEM (PKCS#8).</summary>
    public string KeyPem() => _key.ExportPkcs8PrivateKeyPem();

    public void Dispose()
    {
        _key.Dispose();
        Certificate.Dispose();
    }

    private static string Escape(string name) => name.Replace("\\", "\\\\", StringComparison.Ordinal).Replace(",", "\\,", StringComparison.Ordinal)
        .Replace("+", "\\+", StringComparison.Ordinal).Replace("=", "\\=", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal);
}
