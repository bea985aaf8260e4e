using System.Text.Json;

namespace ActorBackup.Cluster.Capture.Pipeline;

/// <summary>Reads the top-level string "id" of a document without building it, to drop repeats before validation.</summary>
public static class DocumentId
{
    /// <summary>The id, or null when the document is not a JSON object or has no string id at its top level.</summary>
    public static string? TryRead(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 128 });
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isId = reader.ValueTextEquals("id"u8);
                if (!reader.Read()) return null;
                if (isId) return reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                reader.Skip();
            }
            return null;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            return null;
        }
    }
}
