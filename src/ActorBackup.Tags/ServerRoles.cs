using ActorBackup.Tags.SystemTables;

namespace ActorBackup.Tags;

/// <summary>What each server is in the layout, from <c>server_config</c>: original, backup, neither, or not connected.</summary>
public sealed class ServerRoles
{
    private readonly Dictionary<string, IReadOnlyList<string>> _tagsByName;

    public ServerRoles(IReadOnlyList<ServerConfigRow> servers, TagNames tags)
    {
        Tags = tags;
        _tagsByName = servers.ToDictionary(s => s.Name, s => s.Tags, StringComparer.Ordinal);
        Original = servers.Where(s => s.Tags.Contains(tags.Original)).Select(s => s.Name).Order(StringComparer.Ordinal).ToList();
        Backup = servers.Where(s => s.Tags.Contains(tags.Backup)).Select(s => s.Name).Order(StringComparer.Ordinal).ToList();
        AllTags = servers.SelectMany(s => s.Tags).Distinct().Order(StringComparer.Ordinal).ToList();
    }

    public TagNames Tags { get; }

    /// <summary>Connected servers with the original tag, by name.</summary>
    public IReadOnlyList<string> Original { get; }

    /// <summary>Connected servers with the backup tag, by name.</summary>
    public IReadOnlyList<string> Backup { get; }

    /// <summary>Every tag some connected server has.</summary>
    public IReadOnlyList<string> AllTags { get; }

    public bool IsConnected(string server) => _tagsByName.ContainsKey(server);

    public bool IsOriginal(string server) => _tagsByName.TryGetValue(server, out var tags) && tags.Contains(Tags.Original);

    public bool IsBackup(string server) => _tagsByName.TryGetValue(server, out var tags) && tags.Contains(Tags.Backup);

    /// <summary>The server's tags, or null when it is not connected (RethinkDB then does not list it).</summary>
    public IReadOnlyList<string>? TagsOf(string server) => _tagsByName.GetValueOrDefault(server);

    /// <summary>How the replicas of one shard spread over the roles.</summary>
    public ReplicaCounts Count(IEnumerable<string> replicas)
    {
        int original = 0, backup = 0, other = 0, disconnected = 0;
        foreach (var server in replicas)
        {
            if (!IsConnected(server))
                disconnected++;
            else if (IsBackup(server))
                backup++;
            else if (IsOriginal(server))
                original++;
            else
                other++;
        }
        return new ReplicaCounts(original, backup, other, disconnected);
    }

    /// <summary>"rdb-1 (default, original)", or "rdb-1 (not connected)" for a server RethinkDB does not list.</summary>
    public string Describe(string server) =>
        TagsOf(server) is { } tags ? $"{server} ({(tags.Count == 0 ? "no tags" : string.Join(", ", tags))})" : $"{server} (not connected)";
}
