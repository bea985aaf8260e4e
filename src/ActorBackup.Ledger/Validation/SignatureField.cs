using System.Text.Json;
using ActorBackup.Ledger.Crypto;

namespace ActorBackup.Ledger.Validation;

/// <summary>
/// Decodes a base58 signature field. BigchainDB 0.7 stored vote signatures as RethinkDB BINARY holding the
/// ASCII of the base58 text: <c>{"$reql_type$":"BINARY","data":"&lt;base64&gt;"}</c>; both forms are accepted.
/// </summary>
internal static class SignatureField
{
    public static ValidationResult Decode(JsonElement field, string owner, Span<byte> signature)
    {
        Span<byte> text = stackalloc byte[128];
        scoped ReadOnlySpan<byte> base58;
        if (field.ValueKind == JsonValueKind.String)
        {
            base58 = JsonFields.Utf8(field);
        }
        else
        {
            if (!field.TryGetProperty("$reql_type$", out var type) || type.ValueKind != JsonValueKind.String || !type.ValueEquals("BINARY"u8)
                || !field.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.String
                || !data.TryGetBytesFromBase64(out var bytes) || bytes.Length > text.Length)
                return ValidationResult.Invalid(InvalidReason.WrongFieldType, $"{owner}.signature is an object but not a RethinkDB BINARY of base58 text.");
            bytes.CopyTo(text);
            base58 = text[..bytes.Length];
        }
        return DecodeBase58(base58, owner + ".signature", signature);
    }

    public static ValidationResult DecodeBase58(ReadOnlySpan<byte> base58, string what, Span<byte> signature)
    {
        Span<byte> decoded = stackalloc byte[100];
        if (!Base58.TryDecode(base58, decoded, out var written))
            return ValidationResult.Invalid(InvalidReason.BadBase58, $"{what} is not base58.");
        if (written != Ed25519Crypto.SignatureLength)
            return ValidationResult.Invalid(InvalidReason.BadSignatureLength, $"{what} decodes to {written} bytes, expected {Ed25519Crypto.SignatureLength}.");
        decoded[..written].CopyTo(signature);
        return ValidationResult.Valid();
    }

    /// <summary>Explains why a key that is not in the federation was rejected: malformed, or just unknown.</summary>
    public static ValidationResult UnknownKey(ReadOnlySpan<byte> base58, string what, InvalidReason notInFederation)
    {
        Span<byte> decoded = stackalloc byte[100];
        if (!Base58.TryDecode(base58, decoded, out var written))
            return ValidationResult.Invalid(InvalidReason.BadBase58, $"{what} is not base58.");
        if (written != Ed25519Crypto.PublicKeyLength)
            return ValidationResult.Invalid(InvalidReason.BadKeyLength, $"{what} decodes to {written} bytes, expected {Ed25519Crypto.PublicKeyLength}.");
        return ValidationResult.Invalid(notInFederation, $"{what} {System.Text.Encoding.ASCII.GetString(base58)} is not a federation key.");
    }
}
