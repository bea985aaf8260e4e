using System.Text.Json;

namespace ActorBackup.Cluster.Tables;

/// <summary>
/// The latest metadata captured for each table, one file per table under the node's data directory
/// (<c>tables/&lt;table&gt;.json</c>), in the shape of a dump's <c>.info</c>: <c>info()</c> with
/// <c>indexes</c> replaced by <c>index_status()</c>. Files are replaced atomically, so a reader sees
/// either the previous or the new version.
/// </summary>
public sealed class TableMetadataStore(string dataDirectory)
{
    public string Directory { get; } = Path.Combine(dataDirectory, "tables");

    public string PathOf(string table) => Path.Combine(Directory, table + ".json");

    public void Save(string table, ReadOnlySpan<byte> infoJson)
    {
        System.IO.Directory.CreateDirectory(Directory);
        var path = PathOf(table);
        var temporary = path + ".tmp";
        File.WriteAllBytes(temporary, infoJson);
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>The stored metadata of <paramref name="table"/>, or null when none was captured yet.</summary>
    public byte[]? TryLoad(string table)
    {
        try
        {
            return File.ReadAllBytes(PathOf(table));
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    /// <summary>Merges what a source answered into the <c>.info</c> shape; tolerates reqlite's (no db name, empty index functions).</summary>
    public static byte[] ToInfo(JsonElement info, JsonElement indexStatus)
    {
        if (info.ValueKind != JsonValueKind.Object || !info.TryGetProperty("primary_key", out var pk) || pk.ValueKind != JsonValueKind.String)
            throw new FormatException("info() has no primary_key string");
        if (indexStatus.ValueKind != JsonValueKind.Array)
            throw new FormatException("index_status() is not an array");
        var merged = System.Text.Json.Nodes.JsonNode.Parse(info.GetRawText())!.AsObject();
        merged["indexes"] = System.Text.Json.Nodes.JsonNode.Parse(indexStatus.GetRawText());
        return JsonSerializer.SerializeToUtf8Bytes(merged);
    }
}
