using System.Text.Json;
using ActorBackup.Ledger.Documents;
using ActorBackup.Ledger.Json;

namespace ActorBackup.Ledger.Selection;

/// <summary>
/// The transactions a client keeps: named by id, naming a public key in their inputs or outputs, or belonging to
/// an asset (its CREATE and every TRANSFER of it). Matching reads each transaction as its era lays it out
/// (<see cref="TransactionFacts"/>), so the same selection works on any BigchainDB 0.5 to 0.10 ledger.
/// </summary>
public sealed class TransactionSelection
{
    private readonly HashSet<string> ids;
    private readonly HashSet<string> keys;
    private readonly HashSet<string> assets;

    public TransactionSelection(IEnumerable<string> transactionIds, IEnumerable<string> publicKeys, IEnumerable<string> assetIds)
    {
        ids = new HashSet<string>(transactionIds, StringComparer.Ordinal);
        keys = new HashSet<string>(publicKeys, StringComparer.Ordinal);
        assets = new HashSet<string>(assetIds, StringComparer.Ordinal);
    }

    public static TransactionSelection Empty { get; } = new([], [], []);

    public IReadOnlyList<string> TransactionIds => Sorted(ids);

    public IReadOnlyList<string> PublicKeys => Sorted(keys);

    public IReadOnlyList<string> AssetIds => Sorted(assets);

    public bool IsEmpty => ids.Count == 0 && keys.Count == 0 && assets.Count == 0;

    /// <summary>Everything either selection names.</summary>
    public TransactionSelection Union(TransactionSelection other) =>
        new(ids.Concat(other.ids), keys.Concat(other.keys), assets.Concat(other.assets));

    public bool Matches(JsonElement tx) =>
        TransactionFacts.Id(tx) is { } id && ids.Contains(id)
        || (keys.Count > 0 && TransactionFacts.Keys(tx).Any(keys.Contains))
        || (assets.Count > 0 && TransactionFacts.AssetId(tx) is { } asset && assets.Contains(asset));

    /// <summary>The ids of the block's transactions this selection names, in block order, each once; none for a document that is not a block.</summary>
    public IReadOnlyList<string> Matching(Block block)
    {
        try
        {
            using var document = JsonDocument.Parse(block.Json, LedgerJson.DocumentOptions);
            if (!document.RootElement.TryGetProperty("block", out var inner) || inner.ValueKind != JsonValueKind.Object
                || !inner.TryGetProperty("transactions", out var transactions) || transactions.ValueKind != JsonValueKind.Array)
                return [];
            return transactions.EnumerateArray().Where(Matches).Select(tx => TransactionFacts.Id(tx)!).Distinct(StringComparer.Ordinal).ToList();
        }
        catch (JsonException)
        {
            return [];
        }
    }

    private static IReadOnlyList<string> Sorted(HashSet<string> set) => set.Order(StringComparer.Ordinal).ToList();
}
