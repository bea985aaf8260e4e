using System.Text.Json;

namespace ActorBackup.Tags.SystemTables;

/// <summary>Reads the fields of system-table rows, turning a wrong shape into one line that names the path.</summary>
internal readonly struct RowReader(JsonElement element, string origin, string path)
{
    public JsonElement Element => element;

    public static RowReader Root(JsonElement element, string origin) => new(element, origin, "");

    public RowReader Field(string name)
    {
        if (element.ValueKind != JsonValueKind.Object)
            throw Wrong("an object");
        var at = path.Length == 0 ? name : $"{path}.{name}";
        if (!element.TryGetProperty(name, out var value))
            throw new SystemTablesFormatException($"{origin}: {at} is missing");
        return new RowReader(value, origin, at);
    }

    public bool Has(string name) => element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out _);

    public IEnumerable<RowReader> Items()
    {
        if (element.ValueKind != JsonValueKind.Array)
            throw Wrong("an array");
        var i = 0;
        foreach (var item in element.EnumerateArray())
            yield return new RowReader(item, origin, $"{path}[{i++}]");
    }

    public string String() =>
        element.ValueKind == JsonValueKind.String ? element.GetString()! : throw Wrong("a string");

    public string? StringOrNull() =>
        element.ValueKind == JsonValueKind.Null ? null : String();

    public bool Bool() =>
        element.ValueKind is JsonValueKind.True or JsonValueKind.False ? element.GetBoolean() : throw Wrong("true or false");

    public IReadOnlyList<string> Strings() => Items().Select(i => i.String()).ToList();

    /// <summary>The value as RethinkDB printed it, for fields shown but not interpreted (write_acks may be a list).</summary>
    public string Raw() => element.GetRawText();

    /// <summary>An error naming this value: "FILE: table_config[0].shards must list at least one shard".</summary>
    public SystemTablesFormatException Invalid(string problem) =>
        new($"{origin}: {(path.Length == 0 ? "the document" : path)} {problem}");

    private SystemTablesFormatException Wrong(string expected)
    {
        var kind = element.ValueKind switch
        {
            JsonValueKind.Object => "an object",
            JsonValueKind.Array => "an array",
            JsonValueKind.String => "a string",
            JsonValueKind.Number => "a number",
            JsonValueKind.True or JsonValueKind.False => "a boolean",
            _ => "null",
        };
        return Invalid($"must be {expected}, not {kind}");
    }
}
