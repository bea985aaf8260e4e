using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace ActorBackup.Certificates;

/// <summary>A node's own certificate with its private key, read from the PEM files <c>certs init</c> wrote.</summary>
public static class NodeCertificate
{
    /// <summary>Reads the certificate and its key, ready to be presented in a TLS handshake.</summary>
    /// <exception cref="CertificateException">A file cannot be read, or the key does not belong to the certificate.</exception>
    public static X509Certificate2 Load(string certificateFile, string keyFile)
    {
        X509Certificate2 pem;
        try
        {
            pem = X509Certificate2.CreateFromPemFile(certificateFile, keyFile);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException or ArgumentException)
        {
            throw new CertificateException($"cannot read the certificate {certificateFile} with the key {keyFile}: {e.Message.Split('\n')[0].Trim().TrimEnd('.')}", e);
        }
        // A key read from PEM is ephemeral; TLS on some platforms wants one that round-trips through PKCS#12.
        using (pem)
            return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
    }
}
