using System.Text.Json;
using ActorBackup.Ledger.Documents;
using ActorBackup.Ledger.Json;
using ActorBackup.Ledger.Selection;

namespace ActorBackup.Ledger.Election;

/// <summary>
/// Which version's election rules decide a block, told from the block itself, since a ledger does not record the
/// server version: the 0.5 transaction layout means 0.5 rules; a 0.9+ layout transaction naming version "0.10"
/// means 0.10 rules (0.10 servers built their transactions with it, and no earlier server could); anything else is
/// decided by the 0.6 to 0.9 rules.
/// </summary>
public static class ElectionEra
{
    public static ElectionRules Of(Block block)
    {
        try
        {
            using var document = JsonDocument.Parse(block.Json, LedgerJson.DocumentOptions);
            var transactions = document.RootElement.GetProperty("block").GetProperty("transactions").EnumerateArray().ToList();
            if (transactions.Any(tx => TransactionFacts.Version(tx) is { } v && v.StartsWith("0.10", StringComparison.Ordinal)))
                return ElectionRules.V010;
            return transactions.Count > 0 && TransactionFacts.Layout(transactions[0]) == TransactionLayout.V05 ? ElectionRules.V05 : ElectionRules.V06ToV09;
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return ElectionRules.V06ToV09;
        }
    }

    /// <summary>The versions a rule set stands for, as reports print them: "0.5", "0.6-0.9", "0.10".</summary>
    public static string Name(ElectionRules rules) => rules switch
    {
        ElectionRules.V05 => "0.5",
        ElectionRules.V010 => "0.10",
        _ => "0.6-0.9",
    };
}
