using System.Text.Json;
using ActorBackup.Ledger.Documents;
using ActorBackup.Ledger.Validation;

namespace ActorBackup.Ledger.Selection;

/// <summary>
/// What a transaction says about keys and assets, read the way its era lays it out (reference §7): 0.9+ keeps
/// <c>inputs[].owners_before</c>, <c>outputs[].public_keys</c> and <c>asset.id</c> at the top; 0.5 to 0.8 keep
/// <c>fulfillments[].owners_before</c>, <c>conditions[].owners_after</c> and (0.7, 0.8) <c>asset.id</c> inside <c>transaction</c>.
/// </summary>
public static class TransactionFacts
{
    public static TransactionLayout Layout(JsonElement tx) => TransactionLayouts.Detect(tx);

    public static string? Id(JsonElement tx) =>
        tx.ValueKind == JsonValueKind.Object && tx.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String ? id.GetString() : null;

    /// <summary>Every public key named by the transaction's inputs (the owners before) and outputs (the owners after).</summary>
    public static IEnumerable<string> Keys(JsonElement tx)
    {
        var layout = Layout(tx);
        if (layout == TransactionLayout.Unknown)
            return [];
        return layout == TransactionLayout.V09
            ? Strings(tx, "inputs", "owners_before").Concat(Strings(tx, "outputs", "public_keys"))
            : Strings(tx.GetProperty("transaction"), "fulfillments", "owners_before").Concat(Strings(tx.GetProperty("transaction"), "conditions", "owners_after"));
    }

    /// <summary>
    /// The asset the transaction belongs to: from 0.9 a CREATE (or GENESIS) is its own asset, named by its id, and a
    /// TRANSFER names it in <c>asset.id</c>; in 0.7 and 0.8 every transaction carries the asset's uuid in
    /// <c>transaction.asset.id</c>; before 0.7 there are no assets (null).
    /// </summary>
    public static string? AssetId(JsonElement tx)
    {
        switch (Layout(tx))
        {
            case TransactionLayout.V09:
                var operation = tx.TryGetProperty("operation", out var op) && op.ValueKind == JsonValueKind.String ? op.GetString() : null;
                return operation is "CREATE" or "GENESIS" ? Id(tx) : StringAt(tx, "asset", "id");
            case TransactionLayout.V07 or TransactionLayout.V08:
                return StringAt(tx.GetProperty("transaction"), "asset", "id");
            default:
                return null;
        }
    }

    /// <summary>The BigchainDB version a 0.9+ transaction names in <c>version</c> (null for other layouts or none).</summary>
    public static string? Version(JsonElement tx) =>
        Layout(tx) == TransactionLayout.V09 && tx.TryGetProperty("version", out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static string? StringAt(JsonElement holder, string field, string inner) =>
        holder.ValueKind == JsonValueKind.Object && holder.TryGetProperty(field, out var value) && value.ValueKind == JsonValueKind.Object
        && value.TryGetProperty(inner, out var text) && text.ValueKind == JsonValueKind.String
            ? text.GetString()
            : null;

    private static IEnumerable<string> Strings(JsonElement holder, string list, string keys)
    {
        if (holder.ValueKind != JsonValueKind.Object || !holder.TryGetProperty(list, out var items) || items.ValueKind != JsonValueKind.Array)
            yield break;
        foreach (var item in items.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Object || !item.TryGetProperty(keys, out var names) || names.ValueKind != JsonValueKind.Array)
                continue;
            foreach (var name in names.EnumerateArray())
            {
                if (name.ValueKind == JsonValueKind.String)
                    yield return name.GetString()!;
            }
        }
    }
}
