using System.Buffers.Text;
using ActorBackup.Ledger.Crypto;

namespace ActorBackup.Ledger.Validation;

/// <summary>
/// An Ed25519 crypto-condition fulfillment URI, <c>cf:4:&lt;base64url(public key ‖ signature)&gt;</c>
/// (cryptoconditions 0.4/0.5). Threshold fulfillments (<c>cf:2:</c>) use a binary encoding not supported here.
/// </summary>
internal readonly record struct Fulfillment(byte[] PublicKey, byte[] Signature)
{
    public static ValidationResult TryParse(string? uri, out Fulfillment fulfillment)
    {
        fulfillment = default;
        if (uri is null)
            return ValidationResult.Invalid(InvalidReason.BadFulfillment, "the fulfillment is missing or not a string");
        if (!uri.StartsWith("cf:4:", StringComparison.Ordinal))
        {
            return uri.StartsWith("cf:", StringComparison.Ordinal)
                ? ValidationResult.Invalid(InvalidReason.UnsupportedFulfillment, $"only Ed25519 fulfillments (cf:4:) can be checked, found {uri[..Math.Min(uri.Length, 5)]}")
                : ValidationResult.Invalid(InvalidReason.BadFulfillment, "the fulfillment is not a crypto-condition URI");
        }
        var payload = new byte[Ed25519Crypto.PublicKeyLength + Ed25519Crypto.SignatureLength];
        if (!Base64Url.TryDecodeFromChars(uri.AsSpan(5), payload, out var written) || written != payload.Length)
            return ValidationResult.Invalid(InvalidReason.BadFulfillment, "the Ed25519 fulfillment is not base64url of 96 bytes");
        fulfillment = new Fulfillment(payload[..Ed25519Crypto.PublicKeyLength], payload[Ed25519Crypto.PublicKeyLength..]);
        return ValidationResult.Valid();
    }

    public static string Uri(ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> signature)
    {
        Span<byte> payload = stackalloc byte[Ed25519Crypto.PublicKeyLength + Ed25519Crypto.SignatureLength];
        publicKey.CopyTo(payload);
        signature.CopyTo(payload[Ed25519Crypto.PublicKeyLength..]);
        return "cf:4:" + Base64Url.EncodeToString(payload);
    }

    public static string ConditionUri(ReadOnlySpan<byte> publicKey) => $"cc:4:20:{Base64Url.EncodeToString(publicKey)}:96";
}
