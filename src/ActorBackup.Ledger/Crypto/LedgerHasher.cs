using System.Security.Cryptography;
using Org.BouncyCastle.Crypto.Digests;

namespace ActorBackup.Ledger.Crypto;

/// <summary>Computes SHA3-256 or Keccak-256 digests and compares them with lowercase hex ids.</summary>
public static class LedgerHasher
{
    public const int DigestLength = 32;

    [ThreadStatic] private static KeccakDigest? keccak;
    [ThreadStatic] private static Sha3Digest? portableSha3;

    public static void Compute(LedgerHash hash, ReadOnlySpan<byte> data, Span<byte> digest)
    {
        switch (hash)
        {
            case LedgerHash.Sha3_256 when SHA3_256.IsSupported:
                SHA3_256.HashData(data, digest);
                break;
            case LedgerHash.Sha3_256:
                var sha3 = portableSha3 ??= new Sha3Digest(256);
                sha3.BlockUpdate(data);
                sha3.DoFinal(digest);
                break;
            case LedgerHash.Keccak256:
                var k = keccak ??= new KeccakDigest(256);
                k.BlockUpdate(data);
                k.DoFinal(digest);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(hash), hash, "No hash function chosen.");
        }
    }

    public static string ComputeHex(LedgerHash hash, ReadOnlySpan<byte> data)
    {
        Span<byte> digest = stackalloc byte[DigestLength];
        Compute(hash, data, digest);
        return Convert.ToHexStringLower(digest);
    }

    /// <summary>True when <paramref name="hexId"/> (UTF-8) is exactly the lowercase hex of the digest.</summary>
    public static bool MatchesHexId(ReadOnlySpan<byte> digest, ReadOnlySpan<byte> hexId)
    {
        if (hexId.Length != digest.Length * 2)
            return false;
        const string HexDigits = "0123456789abcdef";
        for (var i = 0; i < digest.Length; i++)
        {
            if (hexId[2 * i] != HexDigits[digest[i] >> 4] || hexId[2 * i + 1] != HexDigits[digest[i] & 0xF])
                return false;
        }
        return true;
    }

    /// <summary>Which of the two era hashes of <paramref name="data"/> equals <paramref name="hexId"/>, or None.</summary>
    public static LedgerHash Detect(ReadOnlySpan<byte> data, ReadOnlySpan<byte> hexId)
    {
        Span<byte> digest = stackalloc byte[DigestLength];
        Compute(LedgerHash.Sha3_256, data, digest);
        if (MatchesHexId(digest, hexId))
            return LedgerHash.Sha3_256;
        Compute(LedgerHash.Keccak256, data, digest);
        return MatchesHexId(digest, hexId) ? LedgerHash.Keccak256 : LedgerHash.None;
    }
}
