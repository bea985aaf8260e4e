using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace ActorBackup.Testing.Tls;

/// <summary>
/// A certificate authority made in process for one test: its certificate (written as PEM, the form an operator's CA
/// file has) and server certificates it signs for given DNS names.
/// </summary>
public sealed class TestAuthority : IDisposable
{
    private readonly ECDsa _key;

    private TestAuthority(string name)
    {
        _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", _key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        Certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
    }

    /// <summary>The authority's own certificate, with its key.</summary>
    public X509Certificate2 Certificate { get; }

    public static TestAuthority Create(string name) => new(name);

    /// <summary>Writes the authority's certificate (no key) as PEM to <paramref name="path"/> and returns the path.</summary>
    public string WritePem(string path)
    {
        File.WriteAllText(path, Certificate.ExportCertificatePem() + "\n");
        return path;
    }

    /// <summary>A server certificate for <paramref name="dnsName"/>, signed by this authority, with its private key.</summary>
    public X509Certificate2 Issue(string dnsName)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={dnsName}", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(dnsName);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        var serial = RandomNumberGenerator.GetBytes(16);
        // Valid exactly as long as the authority: a certificate may not outlive its issuer.
        using var issued = request.Create(Certificate, DateTimeOffset.UtcNow.AddMinutes(-5), new DateTimeOffset(Certificate.NotAfter.ToUniversalTime()), serial);
        using var withKey = issued.CopyWithPrivateKey(key);
        // Through PKCS#12, so that SslStream on Linux gets a key it can use for the handshake.
        return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null);
    }

    public void Dispose()
    {
        Certificate.Dispose();
        _key.Dispose();
    }
}
