using System.Text.Json;

namespace ActorBackup.Admin.Contract;

/// <summary>How a route of the admin endpoint says a request failed: <c>{"error": "one line"}</c>.</summary>
public static class AdminError
{
    public static string Write(string message) => JsonSerializer.Serialize(new { error = message });

    /// <summary>The message of an error answer, or null when <paramref name="text"/> is not one.</summary>
    public static string? TryRead(string text)
    {
        try
        {
            using var document = JsonDocument.Parse(text);
            return document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("error", out var error)
                   && error.ValueKind == JsonValueKind.String
                ? error.GetString()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
