using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using ActorBackup.Cluster.Settings;
using ActorBackup.Ledger.Federation;

namespace ActorBackup.Cluster.Node;

/// <summary>
/// What a node's data directory was made for: the federation (its key set), the source database, the cluster's actor
/// system and the shard count. The journal and the record index name replicas only by table and shard, so a directory
/// reused for another federation, database or key space would merge its records with the new ones, or file them under
/// shards that now mean other id ranges; a node refuses to start on a directory made for something else.
/// </summary>
/// <param name="FederationKeys">SHA-256 of the federation's public keys, sorted, one per line.</param>
/// <param name="FederationSize">How many keys the set has, to make the fingerprint readable in a message.</param>
public sealed record DataDirectoryIdentity(
    [property: JsonPropertyName("federation_keys")] string FederationKeys,
    [property: JsonPropertyName("federation_size")] int FederationSize,
    [property: JsonPropertyName("database")] string Database,
    [property: JsonPropertyName("system")] string System,
    [property: JsonPropertyName("shards")] int Shards)
{
    /// <summary>The file in the data directory that holds the identity.</summary>
    public const string FileName = "identity.json";

    public const string Format = "actorbackup-data-identity/1";

    /// <summary>The identity a node with <paramref name="settings"/> and <paramref name="federation"/> gives its data directory.</summary>
    public static DataDirectoryIdentity Of(BackupSettings settings, FederationKeys federation)
    {
        var keys = string.Join('\n', federation.Members.Select(m => m.PublicKey).Order(StringComparer.Ordinal));
        return new DataDirectoryIdentity(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(keys))), federation.Count,
            settings.Database, ClusterConfig.SystemName, settings.Shards);
    }

    /// <summary>
    /// Records <paramref name="expected"/> in a data directory that has no identity yet, or checks it against the one it
    /// has. A directory that holds files but no identity was made by a version that did not record one: it is claimed
    /// as it is, and <paramref name="claimed"/> says so.
    /// </summary>
    /// <exception cref="BackupSettingsException">The directory was made for another identity (one line naming both), or its identity file is unreadable.</exception>
    public static void Claim(string dataDirectory, DataDirectoryIdentity expected, Action<string> claimed)
    {
        var file = Path.Combine(dataDirectory, FileName);
        if (File.Exists(file))
        {
            var recorded = Read(file);
            if (recorded != expected)
                throw new BackupSettingsException(
                    $"actorbackup.data-dir: {dataDirectory} was made for {recorded.Differences(expected)}, not for {expected.Differences(recorded)} "
                    + "as this node is configured: give the node a data directory of its own, or its old configuration");
            return;
        }
        var earlier = Directory.Exists(dataDirectory) && Directory.EnumerateFileSystemEntries(dataDirectory).Any();
        Directory.CreateDirectory(dataDirectory);
        Write(file, expected);
        if (earlier)
            claimed($"The data directory {dataDirectory} had no {FileName} (made by an earlier version); it is now recorded as made for {expected}");
    }

    /// <summary>Only the parts in which this identity differs from <paramref name="other"/>, as an operator reads them.</summary>
    private string Differences(DataDirectoryIdentity other)
    {
        var parts = new List<string>();
        if ((FederationKeys, FederationSize) != (other.FederationKeys, other.FederationSize))
            parts.Add($"the federation keys {FederationKeys[..16]} ({FederationSize} nodes)");
        if (Database != other.Database)
            parts.Add($"database {Database}");
        if (System != other.System)
            parts.Add($"system {System}");
        if (Shards != other.Shards)
            parts.Add($"{Shards} shards");
        return string.Join(", ", parts);
    }

    public override string ToString() =>
        $"the federation keys {FederationKeys[..16]} ({FederationSize} nodes), database {Database}, system {System}, {Shards} shards";

    private static DataDirectoryIdentity Read(string file)
    {
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(file));
            var root = document.RootElement;
            if (!root.TryGetProperty("format", out var format) || format.ValueKind != JsonValueKind.String || format.GetString() != Format)
                throw new JsonException($"\"format\" is not \"{Format}\"");
            return root.Deserialize<DataDirectoryIdentity>(new JsonSerializerOptions { RespectRequiredConstructorParameters = true, RespectNullableAnnotations = true })
                   ?? throw new JsonException("it is null");
        }
        catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException)
        {
            throw new BackupSettingsException($"actorbackup.data-dir: {file} cannot be read as the directory's identity ({e.Message.ReplaceLineEndings(" ").TrimEnd('.')}); "
                                              + "it says what the directory was made for and is never rewritten");
        }
    }

    /// <summary>Written under another name and renamed, so that a crash leaves either no identity or a whole one.</summary>
    private static void Write(string file, DataDirectoryIdentity identity)
    {
        var json = JsonSerializer.SerializeToNode(identity)!.AsObject();
        json.Insert(0, "format", Format);
        var temporary = file + ".new";
        using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            stream.Write(Encoding.UTF8.GetBytes(json.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n"));
            stream.Flush(flushToDisk: true);
        }
        File.Move(temporary, file, overwrite: true);
    }
}
