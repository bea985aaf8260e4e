using System.Text.Json;
using ActorBackup.ReQL.Errors;

namespace ActorBackup.ReQL.Net;

/// <summary>The summary object a write query (insert, update, replace, delete) returns.</summary>
public sealed record WriteResult(
    long Inserted,
    long Replaced,
    long Unchanged,
    long Errors,
    string? FirstError,
    long Deleted,
    long Skipped,
    IReadOnlyList<JsonElement> GeneratedKeys,
    IReadOnlyList<Change> Changes,
    JsonElement Raw)
{
    public static WriteResult From(JsonElement result)
    {
        if (result.ValueKind != JsonValueKind.Object)
            throw new ReqlDriverError($"A write query returned {result.ValueKind}, not a result object: {result.GetRawText()}");
        return new WriteResult(
            Count(result, "inserted"),
            Count(result, "replaced"),
            Count(result, "unchanged"),
            Count(result, "errors"),
            result.TryGetProperty("first_error", out var fe) && fe.ValueKind == JsonValueKind.String ? fe.GetString() : null,
            Count(result, "deleted"),
            Count(result, "skipped"),
            Items(result, "generated_keys").ToList(),
            Items(result, "changes").Select(Change.From).ToList(),
            result);
    }

    // reqlite reports null counters for some writes (e.g. for_each over db_create).
    private static long Count(JsonElement result, string name) =>
        result.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var n) ? n : 0;

    private static IEnumerable<JsonElement> Items(JsonElement result, string name) =>
        result.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Array ? v.EnumerateArray() : [];
}
