using System.Text.Json;
using ActorBackup.Ledger.Documents;

namespace ActorBackup.Ledger.Validation;

internal static class TransactionLayouts
{
    public static TransactionLayout Detect(JsonElement tx)
    {
        if (tx.ValueKind != JsonValueKind.Object)
            return TransactionLayout.Unknown;
        if (tx.TryGetProperty("transaction", out var inner))
        {
            if (inner.ValueKind != JsonValueKind.Object || !inner.TryGetProperty("fulfillments", out _))
                return TransactionLayout.Unknown;
            if (inner.TryGetProperty("data", out _))
                return inner.TryGetProperty("version", out _) ? TransactionLayout.V06 : TransactionLayout.V05;
            if (inner.TryGetProperty("asset", out _))
                return inner.TryGetProperty("timestamp", out _) ? TransactionLayout.V07 : TransactionLayout.V08;
            return TransactionLayout.Unknown;
        }
        return tx.TryGetProperty("inputs", out _) ? TransactionLayout.V09 : TransactionLayout.Unknown;
    }
}
