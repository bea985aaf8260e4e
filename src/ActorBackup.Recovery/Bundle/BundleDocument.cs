using System.Text.Json;
using ActorBackup.Ledger.Documents;

namespace ActorBackup.Recovery.Bundle;

/// <summary>
/// A block or vote document as read from a bundle or a source, not yet verified: its table, its primary key and its
/// JSON. <see cref="Id"/> is null for a document without a string <c>id</c>, which no table row can lack.
/// </summary>
public sealed record BundleDocument(RecordKind Kind, string? Id, byte[] Json)
{
    public string Table => Kind == RecordKind.Block ? BundleLayout.BlocksTable : BundleLayout.VotesTable;

    public string Describe => $"{(Kind == RecordKind.Block ? "block" : "vote")} {Id ?? "(without an id)"}";

    public static BundleDocument Of(RecordKind kind, JsonElement document) =>
        new(kind, document.ValueKind == JsonValueKind.Object && document.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String ? id.GetString() : null,
            System.Runtime.InteropServices.JsonMarshal.GetRawUtf8Value(document).ToArray());
}
