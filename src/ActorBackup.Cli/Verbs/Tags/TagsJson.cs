using System.Text.Encodings.Web;
using System.Text.Json;

namespace ActorBackup.Cli.Verbs.Tags;

/// <summary>How `tags --json` writes: one line, quotes and apostrophes in messages left readable.</summary>
internal static class TagsJson
{
    public static readonly JsonSerializerOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}
