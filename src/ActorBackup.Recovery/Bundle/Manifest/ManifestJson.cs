using System.Text.Json;
using System.Text.Json.Serialization;

namespace ActorBackup.Recovery.Bundle.Manifest;

/// <summary>
/// The manifest's file form: indented JSON with snake_case names and a <c>format</c> field. Reading is strict
/// (unknown fields, missing fields and nulls are refused) and every failure is one line.
/// </summary>
public static class ManifestJson
{
    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        MaxDepth = 16,
    };

    public static byte[] Write(BundleManifest manifest)
    {
        var root = JsonSerializer.SerializeToNode(manifest, Options)!.AsObject();
        root.Insert(0, "format", BundleManifest.Format);
        return JsonSerializer.SerializeToUtf8Bytes(root, Options);
    }

    /// <exception cref="FormatException">The text is not a manifest of this format (the message says what is wrong).</exception>
    public static BundleManifest Read(ReadOnlySpan<byte> utf8)
    {
        try
        {
            var root = JsonSerializer.Deserialize<System.Text.Json.Nodes.JsonObject>(utf8, Options)
                       ?? throw new FormatException("it is null");
            if (root["format"]?.GetValueKind() != JsonValueKind.String || root["format"]!.GetValue<string>() != BundleManifest.Format)
                throw new FormatException($"its \"format\" is not \"{BundleManifest.Format}\"");
            root.Remove("format");
            return root.Deserialize<BundleManifest>(Options) ?? throw new FormatException("it is null");
        }
        catch (JsonException e)
        {
            var message = e.Message;
            var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
            throw new FormatException((cut > 0 ? message[..cut] : message).ReplaceLineEndings(" ").TrimEnd('.') + (e.Path is { } path ? $" (at {path})" : ""), e);
        }
        catch (InvalidOperationException e)
        {
            throw new FormatException(e.Message.ReplaceLineEndings(" ").TrimEnd('.'), e);
        }
    }
}
