using System.Text;
using System.Text.Json;
using ActorBackup.Ledger.Json;
using ActorBackup.Ledger.Validation;

namespace ActorBackup.Ledger.Documents;

/// <summary>
/// Parses raw UTF-8 JSON into <see cref="Block"/>, <see cref="Vote"/> or <see cref="Transaction"/>. Checks shape
/// only (fields and types); signatures and ids are the <see cref="LedgerValidator"/>'s job. Never throws on bad input.
/// </summary>
public static class LedgerReader
{
    public static bool TryRead(ReadOnlySpan<byte> json, RecordKind kind, out LedgerRecord? record, out ValidationResult failure,
        int maxDocumentBytes = LedgerValidatorOptions.DefaultMaxDocumentBytes)
    {
        record = null;
        if (json.Length > maxDocumentBytes)
        {
            failure = ValidationResult.Invalid(InvalidReason.TooLarge, $"The document has {json.Length} bytes, over the limit of {maxDocumentBytes}.");
            return false;
        }
        var bytes = json.ToArray();
        try
        {
            using var document = JsonDocument.Parse(bytes, LedgerJson.DocumentOptions);
            failure = Read(document.RootElement, bytes, kind, out record);
        }
        catch (JsonException e)
        {
            failure = ValidationResult.Invalid(InvalidReason.NotJson, $"Not JSON: {e.Message.Split('\n')[0]}");
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException or FormatException)
        {
            failure = ValidationResult.Invalid(InvalidReason.NotJson, $"Unreadable JSON value: {e.Message.Split('\n')[0]}");
        }
        return failure.IsValid;
    }

    /// <summary>Builds the record from an already parsed document whose bytes are <paramref name="bytes"/>.</summary>
    internal static ValidationResult Read(JsonElement root, byte[] bytes, RecordKind kind, out LedgerRecord? record) => kind switch
    {
        RecordKind.Block => ReadBlock(root, bytes, out record),
        RecordKind.Vote => ReadVote(root, bytes, out record),
        _ => ReadTransaction(root, bytes, out record),
    };

    public static Block? ReadBlock(ReadOnlySpan<byte> json) => TryRead(json, RecordKind.Block, out var r, out _) ? (Block)r! : null;

    public static Vote? ReadVote(ReadOnlySpan<byte> json) => TryRead(json, RecordKind.Vote, out var r, out _) ? (Vote)r! : null;

    private static ValidationResult ReadBlock(JsonElement root, byte[] bytes, out LedgerRecord? record)
    {
        record = null;
        var result = BlockShape.Read(root, out var shape);
        if (!result.IsValid)
            return result;
        var voters = shape.Voters.EnumerateArray().Select(v => v.GetString()!).ToArray();
        var txIds = new List<string>();
        var isGenesis = false;
        var index = 0;
        foreach (var tx in shape.Transactions.EnumerateArray())
        {
            if (!tx.TryGetProperty("id", out var id) || id.ValueKind != JsonValueKind.String)
                return ValidationResult.Invalid(InvalidReason.MissingField, $"block.transactions[{index}] has no string \"id\".");
            txIds.Add(id.GetString()!);
            if (index == 0)
                isGenesis = Operation(tx) == "GENESIS";
            index++;
        }
        record = new Block(shape.Id.GetString()!, shape.Timestamp, shape.NodePubkey.GetString()!, voters, txIds, isGenesis,
            shape.Signature.GetString()!, bytes);
        return ValidationResult.Valid();
    }

    private static ValidationResult ReadVote(JsonElement root, byte[] bytes, out LedgerRecord? record)
    {
        record = null;
        var result = VoteShape.Read(root, out var shape);
        if (!result.IsValid)
            return result;
        string signature;
        if (shape.Signature.ValueKind == JsonValueKind.String)
        {
            signature = shape.Signature.GetString()!;
        }
        else
        {
            Span<byte> raw = stackalloc byte[64];
            result = SignatureField.Decode(shape.Signature, "vote document", raw);
            if (!result.IsValid)
                return result;
            signature = Encoding.ASCII.GetString(shape.Signature.GetProperty("data").GetBytesFromBase64());
        }
        string? id = root.TryGetProperty("id", out var idElement) && idElement.ValueKind == JsonValueKind.String ? idElement.GetString() : null;
        record = new Vote(id, shape.NodePubkey.GetString()!, signature, shape.VotingForBlock.GetString()!, shape.PreviousBlock.GetString()!,
            shape.IsBlockValid, shape.InvalidReason.ValueKind == JsonValueKind.String ? shape.InvalidReason.GetString() : null, shape.Timestamp, bytes);
        return ValidationResult.Valid();
    }

    private static ValidationResult ReadTransaction(JsonElement root, byte[] bytes, out LedgerRecord? record)
    {
        record = null;
        if (root.ValueKind != JsonValueKind.Object)
            return ValidationResult.Invalid(InvalidReason.NotAnObject, "A transaction must be a JSON object.");
        var layout = TransactionLayouts.Detect(root);
        if (layout == TransactionLayout.Unknown)
            return ValidationResult.Invalid(InvalidReason.UnknownTransactionLayout, "The transaction matches no BigchainDB 0.5-0.10 layout.");
        var r = JsonFields.Require(root, "transaction", "id", JsonValueKind.String, out var id);
        if (!r.IsValid)
            return r;
        record = new Transaction(id.GetString()!, Operation(root) ?? "", layout, bytes);
        return ValidationResult.Valid();
    }

    private static string? Operation(JsonElement tx)
    {
        var holder = tx.TryGetProperty("transaction", out var inner) && inner.ValueKind == JsonValueKind.Object ? inner : tx;
        return holder.TryGetProperty("operation", out var op) && op.ValueKind == JsonValueKind.String ? op.GetString() : null;
    }
}
