using System.Text.Json;

namespace ActorBackup.Recovery.FromCluster;

/// <summary>One replica of a shard as <c>/status</c> shows it; <paramref name="Watermark"/> in Unix seconds, null when it has none.</summary>
public sealed record ReplicaView(string Node, bool Reachable, long Records, long Quarantined, long? Watermark, string Digest);

/// <summary>One shard of a table and its replicas.</summary>
public sealed record ShardView(string Table, int Shard, IReadOnlyList<ReplicaView> Replicas)
{
    public string Id => $"{Table}/{Shard:D3}";
}

/// <summary>A member of the backup cluster and where its admin endpoint answers (null when it did not publish one).</summary>
public sealed record MemberView(string Address, string? AdminUrl, bool Reachable);

/// <summary>
/// What a recovery client needs from a node's <c>GET /status</c>: members and their admin URLs, the
/// replicas of every shard with watermarks and digests, R and the restorable point. Read from the JSON
/// directly so that the client does not depend on the node's assemblies.
/// </summary>
public sealed record BackupStatusView(int Replicas, IReadOnlyList<MemberView> Members, IReadOnlyList<ShardView> Shards, long? RestorablePoint)
{
    public IReadOnlyList<string> Tables => Shards.Select(s => s.Table).Distinct().ToArray();

    /// <exception cref="FormatException">The text is not a backup cluster status.</exception>
    public static BackupStatusView Parse(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            var members = root.GetProperty("members").EnumerateArray()
                .Select(m => new MemberView(
                    m.GetProperty("address").GetString()!,
                    m.TryGetProperty("adminUrl", out var url) && url.ValueKind == JsonValueKind.String ? url.GetString() : null,
                    m.GetProperty("reachable").GetBoolean()))
                .ToArray();
            var shards = root.GetProperty("shards").EnumerateArray()
                .Select(s => new ShardView(
                    s.GetProperty("table").GetString()!,
                    s.GetProperty("shard").GetInt32(),
                    s.GetProperty("replicas").EnumerateArray().Select(r => new ReplicaView(
                        r.GetProperty("node").GetString()!,
                        r.GetProperty("reachable").GetBoolean(),
                        r.GetProperty("records").GetInt64(),
                        r.GetProperty("quarantined").GetInt64(),
                        Seconds(r.GetProperty("watermark")),
                        r.GetProperty("digest").GetString() ?? "")).ToArray()))
                .ToArray();
            return new BackupStatusView(root.GetProperty("replicas").GetInt32(), members, shards, Seconds(root.GetProperty("restorablePoint")));
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new FormatException($"it is not an ActorBackup status ({e.Message})", e);
        }
    }

    private static long? Seconds(JsonElement time) =>
        time.ValueKind == JsonValueKind.Null ? null : time.GetDateTimeOffset().ToUnixTimeSeconds();
}
