using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using ActorBackup.ReQL.Errors;

namespace ActorBackup.ReQL.Net;

/// <summary>
/// Wraps a connected stream in TLS and checks the server's certificate against <see cref="TlsOptions"/>. A refusal names
/// what was wrong with the certificate in one line; the login is only sent once the server is the one it claims to be.
/// </summary>
internal static class TlsHandshake
{
    public static async Task<SslStream> AuthenticateAsync(Stream transport, string host, int port, TlsOptions tls, CancellationToken ct)
    {
        var name = tls.ServerName ?? host;
        string? refusal = null;
        var options = new SslClientAuthenticationOptions
        {
            TargetHost = name,
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
            RemoteCertificateValidationCallback = (_, certificate, chain, errors) =>
            {
                refusal = Refusal(certificate, chain, errors, name);
                return refusal is null;
            },
        };
        if (tls.Authorities.Count > 0)
        {
            // Only the configured authorities: a certificate chaining to some public root is not the federation's server.
            var policy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck };
            policy.CustomTrustStore.AddRange(tls.Authorities);
            options.CertificateChainPolicy = policy;
        }
        var ssl = new SslStream(transport, leaveInnerStreamOpen: false);
        try
        {
            await ssl.AuthenticateAsClientAsync(options, ct);
            return ssl;
        }
        catch (Exception e) when (e is AuthenticationException or IOException)
        {
            await ssl.DisposeAsync();
            throw new ReqlTlsError(refusal is not null
                ? $"TLS with {host}:{port} refused: {refusal}."
                : $"TLS with {host}:{port} failed (does the server speak TLS on this port?): {OneLine(e)}", e);
        }
    }

    private static string? Refusal(X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors, string name)
    {
        if (errors == SslPolicyErrors.None)
            return null;
        if (certificate is null || errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable))
            return "the server sent no certificate";
        var subject = certificate.Subject;
        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateChainErrors))
        {
            var statuses = chain?.ChainStatus.Select(s => s.Status.ToString()).Distinct().ToArray() ?? [];
            return $"its certificate \"{subject}\" does not chain to a trusted certificate authority ({(statuses.Length > 0 ? string.Join(", ", statuses) : "no chain")})";
        }
        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch))
            return $"its certificate \"{subject}\" is not issued for the name \"{name}\"";
        return $"its certificate \"{subject}\" is not acceptable ({errors})";
    }

    private static string OneLine(Exception e)
    {
        var message = (e.InnerException ?? e).Message;
        var end = message.IndexOfAny(['\r', '\n']);
        return end < 0 ? message : message[..end];
    }
}
