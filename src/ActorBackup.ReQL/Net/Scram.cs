using System.Security.Cryptography;
using System.Text;

namespace ActorBackup.ReQL.Net;

/// <summary>The SCRAM-SHA-256 computations of RFC 5802 section 3 (with SHA-256 as in RFC 7677), no channel binding.</summary>
internal static class Scram
{
    /// <summary>The GS2 header "n,," (no channel binding, no authzid), base64-encoded: the `c=` attribute.</summary>
    public const string ChannelBinding = "biws";

    /// <summary>saslname: "=" becomes "=3D" and "," becomes "=2C" (RFC 5802 5.1, attribute n).</summary>
    public static string EscapeUserName(string user) => user.Replace("=", "=3D").Replace(",", "=2C");

    /// <summary>A printable, comma-free nonce: base64 of 18 random bytes.</summary>
    public static string NewNonce() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(18));

    /// <summary>SaltedPassword := Hi(Normalize(password), salt, i), where Hi is PBKDF2 with HMAC-SHA-256.</summary>
    public static byte[] SaltedPassword(string password, byte[] salt, int iterations) =>
        Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, iterations, HashAlgorithmName.SHA256, 32);

    /// <summary>ClientProof := ClientKey XOR ClientSignature.</summary>
    public static byte[] ClientProof(byte[] saltedPassword, string authMessage)
    {
        // ClientKey := HMAC(SaltedPassword, "Client Key")
        var clientKey = HMACSHA256.HashData(saltedPassword, "Client Key"u8);
        // StoredKey := H(ClientKey)
        var storedKey = SHA256.HashData(clientKey);
        // ClientSignature := HMAC(StoredKey, AuthMessage)
        var clientSignature = HMACSHA256.HashData(storedKey, Encoding.UTF8.GetBytes(authMessage));
        var proof = new byte[clientKey.Length];
        for (var i = 0; i < proof.Length; i++)
            proof[i] = (byte)(clientKey[i] ^ clientSignature[i]);
        return proof;
    }

    /// <summary>ServerSignature := HMAC(ServerKey, AuthMessage), with ServerKey := HMAC(SaltedPassword, "Server Key").</summary>
    public static byte[] ServerSignature(byte[] saltedPassword, string authMessage)
    {
        var serverKey = HMACSHA256.HashData(saltedPassword, "Server Key"u8);
        return HMACSHA256.HashData(serverKey, Encoding.UTF8.GetBytes(authMessage));
    }

    /// <summary>Splits "k=v,k=v" at commas and at each first '=' (values may contain '=', e.g. base64 padding).</summary>
    public static Dictionary<string, string> ParseAttributes(string message)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var part in message.Split(','))
        {
            var eq = part.IndexOf('=');
            if (eq <= 0)
                throw new FormatException($"malformed SCRAM attribute '{part}' in '{message}'");
            result[part[..eq]] = part[(eq + 1)..];
        }
        return result;
    }
}
