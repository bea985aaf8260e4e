using System.Text.Json;

namespace ActorBackup.ReQL.Net;

/// <summary>
/// One element of a changefeed. A document change has <see cref="OldValue"/>/<see cref="NewValue"/> (null for a
/// JSON null or a missing side); a state element has <see cref="State"/>; a queue overflow has <see cref="Error"/>
/// ("Changefeed cache over array size limit, skipped N elements."), which means changes were lost.
/// </summary>
public sealed record Change(JsonElement? OldValue, JsonElement? NewValue, string? State, string? Error, string? Type, JsonElement Raw)
{
    public bool IsDocumentChange => OldValue is not null || NewValue is not null;

    public static Change From(JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.Object)
            return new Change(null, null, null, $"A changefeed element is not an object: {element.GetRawText()}", null, element);
        return new Change(
            Value(element, "old_val"),
            Value(element, "new_val"),
            Text(element, "state"),
            Text(element, "error"),
            Text(element, "type"),
            element);
    }

    private static JsonElement? Value(JsonElement element, string name) =>
        element.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null ? v : null;

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
