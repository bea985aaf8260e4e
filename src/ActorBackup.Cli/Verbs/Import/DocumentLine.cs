using System.Text;
using System.Text.Json;

namespace ActorBackup.Cli.Verbs.Import;

/// <summary>One archive document as one NDJSON line: its text as the archive has it, compacted only if it spans lines.</summary>
internal static class DocumentLine
{
    public static byte[] Of(JsonElement document)
    {
        var raw = document.GetRawText();
        if (raw.AsSpan().IndexOfAny('\n', '\r') < 0)
            return Encoding.UTF8.GetBytes(raw);
        // Writing the element keeps every number and string token as read, without the whitespace between them.
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
            document.WriteTo(writer);
        return buffer.ToArray();
    }
}
