using System.Buffers;
using System.Text.Json;
using ActorBackup.Ledger.Crypto;
using ActorBackup.Ledger.Documents;
using ActorBackup.Ledger.Federation;
using ActorBackup.Ledger.Json;

namespace ActorBackup.Ledger.Validation;

/// <summary>
/// Checks blocks, votes and transactions against a federation: ids (either era hash), Ed25519 signatures over
/// the canonical JSON, membership. Never throws on bad input; thread-safe, so one instance serves all cores.
/// </summary>
public sealed class LedgerValidator(FederationKeys federation, LedgerValidatorOptions? options = null)
{
    public FederationKeys Federation { get; } = federation;

    public LedgerValidatorOptions Options { get; } = options ?? LedgerValidatorOptions.Default;

    public ValidationResult Validate(ReadOnlySpan<byte> json, RecordKind kind) => Validate(json, kind, out _, out _, read: false);

    /// <summary>
    /// Validates and, with one parse, reads the record and the <see cref="CanonicalJson"/> of the whole document, so
    /// a caller that hashes the canonical form does not parse again. <paramref name="record"/> is set whenever the
    /// document has the shape of its kind, valid or not, so a rejected document can still be filed under its id and
    /// timestamp. <paramref name="canonical"/> is null for an invalid document and for one that has no canonical form
    /// outside its signed part (a repeated key).
    /// </summary>
    public ValidationResult ValidateAndRead(ReadOnlySpan<byte> json, RecordKind kind, out LedgerRecord? record, out byte[]? canonical) =>
        Validate(json, kind, out record, out canonical, read: true);

    private ValidationResult Validate(ReadOnlySpan<byte> json, RecordKind kind, out LedgerRecord? record, out byte[]? canonical, bool read)
    {
        record = null;
        canonical = null;
        if (json.Length > Options.MaxDocumentBytes)
            return ValidationResult.Invalid(InvalidReason.TooLarge, $"The document has {json.Length} bytes, over the limit of {Options.MaxDocumentBytes}.");

        var copy = ArrayPool<byte>.Shared.Rent(json.Length);
        try
        {
            json.CopyTo(copy);
            using var document = JsonDocument.Parse(copy.AsMemory(0, json.Length), LedgerJson.DocumentOptions);
            var result = Validate(document.RootElement, kind);
            if (read)
            {
                LedgerReader.Read(document.RootElement, json.ToArray(), kind, out record);
                if (result.IsValid) canonical = CanonicalOrNull(document.RootElement);
            }
            return result;
        }
        catch (JsonException e)
        {
            return ValidationResult.Invalid(InvalidReason.NotJson, $"Not JSON: {FirstLine(e.Message)}");
        }
        catch (CanonicalJsonException e)
        {
            return ValidationResult.Invalid(InvalidReason.DuplicateKey, e.Message);
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException or FormatException)
        {
            // JsonDocument reports some malformed strings (e.g. lone surrogates) only when they are read.
            return ValidationResult.Invalid(InvalidReason.NotJson, $"Unreadable JSON value: {FirstLine(e.Message)}");
        }
        catch (Exception e) when (e is not (OutOfMemoryException or StackOverflowException))
        {
            // A bug here must cost one quarantined document, not the capture: the type names the bug.
            return ValidationResult.Invalid(InvalidReason.ValidatorFault, $"The validator failed on this document ({e.GetType().Name}): {FirstLine(e.Message)}");
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(copy);
        }
    }

    internal ValidationResult Validate(JsonElement root, RecordKind kind) => kind switch
    {
        RecordKind.Vote => ValidateVote(root),
        RecordKind.Block => ValidateBlock(root),
        RecordKind.Transaction => TransactionVerifier.VerifyStandalone(root),
        _ => ValidationResult.Invalid(InvalidReason.NotAnObject, $"Unknown record kind {kind}."),
    };

    private ValidationResult ValidateVote(JsonElement root)
    {
        var result = VoteShape.Read(root, out var shape);
        if (!result.IsValid)
            return result;

        var voter = JsonFields.Utf8(shape.NodePubkey);
        if (!Federation.TryGetKey(voter, out var key))
            return SignatureField.UnknownKey(voter, "vote.node_pubkey", InvalidReason.VoterNotInFederation);

        Span<byte> signature = stackalloc byte[Ed25519Crypto.SignatureLength];
        result = SignatureField.Decode(shape.Signature, "vote document", signature);
        if (!result.IsValid)
            return result;

        using var canonical = new PooledBuffer(512);
        CanonicalJson.Write(shape.Vote, canonical);
        return Ed25519Crypto.Verify(key, canonical.WrittenSpan, signature)
            ? ValidationResult.Valid()
            : ValidationResult.Invalid(InvalidReason.SignatureMismatch, "The vote signature does not verify with vote.node_pubkey.");
    }

    private ValidationResult ValidateBlock(JsonElement root)
    {
        var result = BlockShape.Read(root, out var shape);
        if (!result.IsValid)
            return result;

        using var canonical = new PooledBuffer(4096);
        CanonicalJson.Write(shape.Block, canonical);
        var hash = LedgerHasher.Detect(canonical.WrittenSpan, JsonFields.Utf8(shape.Id));
        if (hash == LedgerHash.None)
            return ValidationResult.Invalid(InvalidReason.IdMismatch, "The block id is neither the SHA3-256 nor the Keccak-256 hash of the block.");

        var signer = JsonFields.Utf8(shape.NodePubkey);
        if (!Federation.TryGetKey(signer, out var key))
            return SignatureField.UnknownKey(signer, "block.node_pubkey", InvalidReason.SignerNotInFederation);

        Span<byte> signature = stackalloc byte[Ed25519Crypto.SignatureLength];
        result = SignatureField.DecodeBase58(JsonFields.Utf8(shape.Signature), "block document.signature", signature);
        if (!result.IsValid)
            return result;
        if (!Ed25519Crypto.Verify(key, canonical.WrittenSpan, signature))
            return ValidationResult.Invalid(InvalidReason.SignatureMismatch, "The block signature does not verify with block.node_pubkey.");

        if (Options.Deep)
        {
            var index = 0;
            foreach (var tx in shape.Transactions.EnumerateArray())
            {
                var txResult = TransactionVerifier.Verify(tx, hash);
                if (!txResult.IsValid)
                    return ValidationResult.Invalid(txResult.Reason, $"block.transactions[{index}]: {txResult.Message}");
                index++;
            }
        }
        return ValidationResult.Valid(hash);
    }

    private static byte[]? CanonicalOrNull(JsonElement root)
    {
        try
        {
            return CanonicalJson.ToBytes(root);
        }
        catch (Exception e) when (e is CanonicalJsonException or InvalidOperationException or ArgumentException)
        {
            return null;
        }
    }

    private static string FirstLine(string message)
    {
        var end = message.IndexOfAny(['\r', '\n']);
        return end < 0 ? message : message[..end];
    }
}
