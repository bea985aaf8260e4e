using System.Text.Json;

namespace ActorBackup.Ledger.Json;

/// <summary>Parser limits shared by every reader of ledger documents, so all of them accept the same inputs.</summary>
internal static class LedgerJson
{
    // Real documents nest about 8 deep; user asset data may nest more, but never this far.
    public const int MaxDepth = 128;

    public static JsonDocumentOptions DocumentOptions { get; } = new() { MaxDepth = MaxDepth };
}
