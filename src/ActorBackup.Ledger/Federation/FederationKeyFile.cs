using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ActorBackup.Ledger.Federation;

/// <summary>
/// The federation key file that <c>simulate --keys-out</c> writes and backup nodes read:
/// <code>{"format":"actorbackup-federation-keys/1","nodes":[{"public_key":"&lt;base58&gt;","name":"node-0"}]}</code>
/// <c>name</c> is optional. Only public keys are stored: a backup verifies, it never signs.
/// </summary>
public static class FederationKeyFile
{
    public const string Format = "actorbackup-federation-keys/1";

    public static string Write(FederationKeys federation) => Write(federation.Members);

    public static string Write(IEnumerable<FederationMember> members)
    {
        var nodes = new JsonArray();
        foreach (var member in members)
        {
            var node = new JsonObject { ["public_key"] = member.PublicKey };
            if (member.Name is not null)
                node["name"] = member.Name;
            nodes.Add(node);
        }
        var root = new JsonObject { ["format"] = Format, ["nodes"] = nodes };
        return root.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n";
    }

    public static bool TryParse(ReadOnlySpan<byte> utf8, out FederationKeys? federation, out string error)
    {
        federation = null;
        JsonDocument document;
        try
        {
            var reader = new Utf8JsonReader(utf8);
            document = JsonDocument.ParseValue(ref reader);
        }
        catch (JsonException e)
        {
            error = $"The federation key file is not JSON: {e.Message}";
            return false;
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                return Fail("the top level must be an object", out error);
            if (!root.TryGetProperty("format", out var format) || format.ValueKind != JsonValueKind.String || format.GetString() != Format)
                return Fail($"\"format\" must be \"{Format}\"", out error);
            if (!root.TryGetProperty("nodes", out var nodes) || nodes.ValueKind != JsonValueKind.Array)
                return Fail("\"nodes\" must be an array", out error);
            var members = new List<FederationMember>();
            var index = 0;
            foreach (var node in nodes.EnumerateArray())
            {
                if (node.ValueKind != JsonValueKind.Object
                    || !node.TryGetProperty("public_key", out var key) || key.ValueKind != JsonValueKind.String)
                    return Fail($"nodes[{index}] needs a \"public_key\" string", out error);
                string? name = null;
                if (node.TryGetProperty("name", out var nameElement))
                {
                    if (nameElement.ValueKind != JsonValueKind.String)
                        return Fail($"nodes[{index}].name must be a string", out error);
                    name = nameElement.GetString();
                }
                members.Add(new FederationMember(key.GetString()!, name));
                index++;
            }
            if (members.Count == 0)
                return Fail("\"nodes\" is empty", out error);
            if (!FederationKeys.TryCreate(members, out federation, out var keyError))
                return Fail(keyError.TrimEnd('.'), out error);
            error = "";
            return true;
        }
    }

    /// <summary>Reads a key file; a missing or bad file is an <see cref="InvalidDataException"/> with a one-line message.</summary>
    public static FederationKeys Load(string path)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InvalidDataException($"Cannot read the federation key file {path}: {e.Message}", e);
        }
        return TryParse(bytes, out var federation, out var error)
            ? federation!
            : throw new InvalidDataException($"{path}: {error}");
    }

    public static void Save(string path, FederationKeys federation) =>
        File.WriteAllText(path, Write(federation), new UTF8Encoding(false));

    private static bool Fail(string reason, out string error)
    {
        error = $"Bad federation key file: {reason}.";
        return false;
    }
}
