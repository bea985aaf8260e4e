using NSec.Cryptography;

namespace ActorBackup.Ledger.Crypto;

/// <summary>Strict RFC 8032 Ed25519 over exact message bytes, keys and signatures as raw bytes.</summary>
public static class Ed25519Crypto
{
    public const int PublicKeyLength = 32;
    public const int SignatureLength = 64;
    public const int SeedLength = 32;

    public static SignatureAlgorithm Algorithm => SignatureAlgorithm.Ed25519;

    public static PublicKey? TryImportPublicKey(ReadOnlySpan<byte> raw)
    {
        if (raw.Length != PublicKeyLength)
            return null;
        return PublicKey.TryImport(Algorithm, raw, KeyBlobFormat.RawPublicKey, out var key) ? key : null;
    }

    public static bool Verify(PublicKey key, ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature) =>
        signature.Length == SignatureLength && Algorithm.Verify(key, message, signature);

    /// <summary>Imports a 32-byte seed (BigchainDB's "private key") as a signing key.</summary>
    public static Key ImportSeed(ReadOnlySpan<byte> seed) =>
        Key.Import(Algorithm, seed, KeyBlobFormat.RawPrivateKey);
}
