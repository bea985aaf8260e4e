namespace ActorBackup.ReQL.Net;

/// <summary>
/// Base64 decoding that tolerates wrong padding: reqlite sends a 16-byte salt as 22 characters plus "====",
/// which the strict decoder rejects. Trailing '=' are dropped and the right padding is restored.
/// </summary>
internal static class LenientBase64
{
    public static byte[] Decode(string text)
    {
        var core = text.TrimEnd('=');
        var padding = (4 - core.Length % 4) % 4;
        if (padding == 3)
            throw new FormatException($"'{text}' is not base64: {core.Length} significant characters cannot encode whole bytes.");
        return Convert.FromBase64String(core + new string('=', padding));
    }
}
