using System.Text.Json;
using ActorBackup.Ledger.Crypto;
using ActorBackup.Ledger.Documents;
using ActorBackup.Ledger.Json;
using ActorBackup.Ledger.Validation;

namespace ActorBackup.Ledger.Election;

/// <summary>Whether a vote's signature verifies with its own node_pubkey, whatever the federation.</summary>
internal static class VoteSignature
{
    public static bool Verifies(Vote vote)
    {
        Span<byte> publicKey = stackalloc byte[Ed25519Crypto.PublicKeyLength];
        Span<byte> signature = stackalloc byte[Ed25519Crypto.SignatureLength];
        if (!Base58.TryDecodeExact(vote.NodePubkey.AsSpan(), publicKey) || !Base58.TryDecodeExact(vote.Signature.AsSpan(), signature))
            return false;
        var key = Ed25519Crypto.TryImportPublicKey(publicKey);
        if (key is null)
            return false;
        try
        {
            using var document = JsonDocument.Parse(vote.Json);
            return Ed25519Crypto.Verify(key, CanonicalJson.ToBytes(document.RootElement.GetProperty("vote")), signature);
        }
        catch (Exception e) when (e is JsonException or CanonicalJsonException or KeyNotFoundException or InvalidOperationException)
        {
            return false;
        }
    }
}
