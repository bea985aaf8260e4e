using System.Text;
using System.Text.Json;

namespace ActorBackup.Admin.Contract.Import;

/// <summary>
/// The JSON of the import routes: a summary, or the point set (<c>{"table", "at", "shards", "replicas", "lowest",
/// "records"}</c>, times in Unix seconds) on success, <c>{"error", "table", "acknowledged", "retryable"}</c> on failure,
/// each on one line. The importer reads them back with the same code.
/// </summary>
public static class ImportJson
{
    public static string Write(ImportSummary summary) =>
        Object(w =>
        {
            w.WriteString("table", summary.Table);
            w.WriteNumber("received", summary.Received);
            w.WriteNumber("stored", summary.Stored);
            w.WriteNumber("duplicates", summary.Duplicates);
            w.WriteNumber("quarantined", summary.Quarantined);
            w.WriteStartObject("reasons");
            foreach (var (code, count) in summary.Reasons)
                w.WriteNumber(code, count);
            w.WriteEndObject();
            w.WriteStartArray("examples");
            foreach (var note in summary.Examples)
            {
                w.WriteStartObject();
                w.WriteString("id", note.Id);
                w.WriteString("reason", note.Reason);
                w.WriteString("message", note.Message);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteNumber("newest", summary.Newest);
        });

    /// <exception cref="JsonException">Not a summary.</exception>
    public static ImportSummary ReadSummary(string json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        return new ImportSummary(
            Required(root, "table").GetString()!,
            Required(root, "received").GetInt64(),
            Required(root, "stored").GetInt64(),
            Required(root, "duplicates").GetInt64(),
            Required(root, "quarantined").GetInt64(),
            Required(root, "reasons").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt64()),
            Required(root, "examples").EnumerateArray()
                .Select(e => new QuarantineNote(Required(e, "id").GetString()!, Required(e, "reason").GetString()!, Required(e, "message").GetString()!))
                .ToArray(),
            Required(root, "newest").GetInt64());
    }

    public static string Write(ImportPointSet point) =>
        Object(w =>
        {
            w.WriteString("table", point.Table);
            w.WriteNumber("at", point.At.Seconds);
            w.WriteNumber("shards", point.Shards);
            w.WriteNumber("replicas", point.Replicas);
            w.WriteNumber("lowest", point.Lowest.Seconds);
            w.WriteNumber("records", point.Records);
        });

    /// <exception cref="JsonException">Not a point set.</exception>
    public static ImportPointSet ReadPoint(string json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        try
        {
            return new ImportPointSet(
                Required(root, "table").GetString()!,
                Watermark.At(Required(root, "at").GetInt64()),
                Required(root, "shards").GetInt32(),
                Required(root, "replicas").GetInt32(),
                Watermark.At(Required(root, "lowest").GetInt64()),
                Required(root, "records").GetInt64());
        }
        catch (ArgumentOutOfRangeException)
        {
            throw new JsonException("the point set has a time before 1970");
        }
    }

    public static string WriteError(ImportError error) =>
        Object(w =>
        {
            w.WriteString("error", error.Message);
            w.WriteString("table", error.Table);
            w.WriteNumber("acknowledged", error.Acknowledged);
            w.WriteBoolean("retryable", error.Retryable);
        });

    /// <summary>The error of a failed request, or null when <paramref name="json"/> is not one.</summary>
    public static ImportError? TryReadError(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            return root.ValueKind == JsonValueKind.Object && root.TryGetProperty("error", out var message) && message.ValueKind == JsonValueKind.String
                ? new ImportError(message.GetString()!,
                    root.TryGetProperty("table", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString()! : "",
                    root.TryGetProperty("acknowledged", out var a) && a.ValueKind == JsonValueKind.Number ? a.GetInt64() : 0,
                    root.TryGetProperty("retryable", out var r) && r.ValueKind == JsonValueKind.True)
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>One JSON object as a string, its members written by <paramref name="members"/>.</summary>
    private static string Object(Action<Utf8JsonWriter> members)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            members(w);
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static JsonElement Required(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value)
            ? value
            : throw new JsonException($"the answer has no \"{name}\"");
}
