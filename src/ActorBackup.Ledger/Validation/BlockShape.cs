using System.Text.Json;

namespace ActorBackup.Ledger.Validation;

/// <summary>The fields of a block document, located and type-checked.</summary>
internal readonly record struct BlockShape(
    JsonElement Id,
    JsonElement Block,
    JsonElement Signature,
    JsonElement NodePubkey,
    JsonElement Transactions,
    JsonElement Voters,
    long Timestamp)
{
    public static ValidationResult Read(JsonElement root, out BlockShape shape)
    {
        shape = default;
        if (root.ValueKind != JsonValueKind.Object)
            return ValidationResult.Invalid(InvalidReason.NotAnObject, "A block must be a JSON object.");
        var r = JsonFields.Require(root, "block document", "id", JsonValueKind.String, out var id);
        if (!r.IsValid) return r;
        r = JsonFields.Require(root, "block document", "block", JsonValueKind.Object, out var block);
        if (!r.IsValid) return r;
        r = JsonFields.Require(root, "block document", "signature", JsonValueKind.String, out var signature);
        if (!r.IsValid) return r;
        r = JsonFields.Require(block, "block", "node_pubkey", JsonValueKind.String, out var pubkey);
        if (!r.IsValid) return r;
        r = JsonFields.Timestamp(block, "block", out var timestamp);
        if (!r.IsValid) return r;
        r = JsonFields.Require(block, "block", "transactions", JsonValueKind.Array, out var transactions);
        if (!r.IsValid) return r;
        r = JsonFields.Require(block, "block", "voters", JsonValueKind.Array, out var voters);
        if (!r.IsValid) return r;
        if (!JsonFields.IsHexId(JsonFields.Utf8(id)))
            return ValidationResult.Invalid(InvalidReason.BadBlockId, "The block id must be 64 lowercase hex characters.");
        if (transactions.GetArrayLength() == 0)
            return ValidationResult.Invalid(InvalidReason.EmptyBlock, "The block has no transactions.");
        foreach (var tx in transactions.EnumerateArray())
        {
            if (tx.ValueKind != JsonValueKind.Object)
                return ValidationResult.Invalid(InvalidReason.WrongFieldType, "Every element of block.transactions must be an object.");
        }
        var signerListed = false;
        var signer = JsonFields.Utf8(pubkey);
        foreach (var voter in voters.EnumerateArray())
        {
            if (voter.ValueKind != JsonValueKind.String)
                return ValidationResult.Invalid(InvalidReason.BadVoters, "Every element of block.voters must be a string.");
            signerListed |= JsonFields.Utf8(voter).SequenceEqual(signer);
        }
        // BigchainDB builds voters as keyring + [me], so the creator is always listed.
        if (!signerListed)
            return ValidationResult.Invalid(InvalidReason.SignerNotInVoters, "block.node_pubkey is not among block.voters.");
        shape = new BlockShape(id, block, signature, pubkey, transactions, voters, timestamp);
        return ValidationResult.Valid();
    }
}
