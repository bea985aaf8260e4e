using System.Text.Json;

namespace ActorBackup.Ledger.Validation;

/// <summary>The fields of a vote document (BigchainDB vote schema), located and type-checked.</summary>
internal readonly record struct VoteShape(
    JsonElement NodePubkey,
    JsonElement Signature,
    JsonElement Vote,
    JsonElement VotingForBlock,
    JsonElement PreviousBlock,
    bool IsBlockValid,
    JsonElement InvalidReason,
    long Timestamp)
{
    public static ValidationResult Read(JsonElement root, out VoteShape shape)
    {
        shape = default;
        if (root.ValueKind != JsonValueKind.Object)
            return ValidationResult.Invalid(Validation.InvalidReason.NotAnObject, "A vote must be a JSON object.");
        var r = JsonFields.Require(root, "vote document", "node_pubkey", JsonValueKind.String, out var pubkey);
        if (!r.IsValid) return r;
        if (!root.TryGetProperty("signature", out var signature))
            return ValidationResult.Invalid(Validation.InvalidReason.MissingField, "vote document has no \"signature\".");
        if (signature.ValueKind is not (JsonValueKind.String or JsonValueKind.Object))
            return ValidationResult.Invalid(Validation.InvalidReason.WrongFieldType, "vote document.signature must be a string or a BINARY object.");
        r = JsonFields.Require(root, "vote document", "vote", JsonValueKind.Object, out var vote);
        if (!r.IsValid) return r;
        r = JsonFields.Require(vote, "vote", "voting_for_block", JsonValueKind.String, out var votingFor);
        if (!r.IsValid) return r;
        r = JsonFields.Require(vote, "vote", "previous_block", JsonValueKind.String, out var previous);
        if (!r.IsValid) return r;
        if (!JsonFields.IsHexId(JsonFields.Utf8(votingFor)) || !JsonFields.IsHexId(JsonFields.Utf8(previous)))
            return ValidationResult.Invalid(Validation.InvalidReason.BadBlockId, "vote.voting_for_block and vote.previous_block must be 64 lowercase hex characters.");
        if (!vote.TryGetProperty("is_block_valid", out var isValid))
            return ValidationResult.Invalid(Validation.InvalidReason.MissingField, "vote has no \"is_block_valid\".");
        if (isValid.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
            return ValidationResult.Invalid(Validation.InvalidReason.WrongFieldType, "vote.is_block_valid must be a boolean.");
        if (!vote.TryGetProperty("invalid_reason", out var reason))
            return ValidationResult.Invalid(Validation.InvalidReason.MissingField, "vote has no \"invalid_reason\".");
        if (reason.ValueKind is not (JsonValueKind.Null or JsonValueKind.String))
            return ValidationResult.Invalid(Validation.InvalidReason.WrongFieldType, "vote.invalid_reason must be null or a string.");
        r = JsonFields.Timestamp(vote, "vote", out var timestamp);
        if (!r.IsValid) return r;
        shape = new VoteShape(pubkey, signature, vote, votingFor, previous, isValid.ValueKind == JsonValueKind.True, reason, timestamp);
        return ValidationResult.Valid();
    }
}
