using System.Text.Json;
using ActorBackup.Ledger.Crypto;
using ActorBackup.Ledger.Json;
using NSec.Cryptography;

namespace ActorBackup.Bench;

/// <summary>
/// A vote's exact signed message, key and signature, taken apart beforehand: the raw Ed25519 verify rate that
/// validation and capture are compared with is measured on the same work they verify.
/// </summary>
internal sealed record RawVoteSignature(PublicKey Key, byte[] Message, byte[] Signature)
{
    public bool Verify() => SignatureAlgorithm.Ed25519.Verify(Key, Message, Signature);

    public static RawVoteSignature Of(byte[] vote)
    {
        using var document = JsonDocument.Parse(vote);
        var root = document.RootElement;
        var publicKey = new byte[Ed25519Crypto.PublicKeyLength];
        var signature = new byte[Ed25519Crypto.SignatureLength];
        Base58.TryDecodeExact(root.GetProperty("node_pubkey").GetString().AsSpan(), publicKey);
        Base58.TryDecodeExact(root.GetProperty("signature").GetString().AsSpan(), signature);
        return new RawVoteSignature(Ed25519Crypto.TryImportPublicKey(publicKey)!, CanonicalJson.ToBytes(root.GetProperty("vote")), signature);
    }
}
