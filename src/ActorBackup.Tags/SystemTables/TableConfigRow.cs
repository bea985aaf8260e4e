using System.Text.Json;

namespace ActorBackup.Tags.SystemTables;

/// <summary>
/// A row of <c>rethinkdb.table_config</c> (also what <c>table.config()</c> returns): where each shard's replicas
/// are, by server name. RethinkDB stores concrete servers, not tags: a reconfigure by tags is resolved to servers.
/// </summary>
/// <param name="WriteAcks">As RethinkDB shows it: <c>"majority"</c>, <c>"single"</c> or a JSON list of per-tag requirements.</param>
public sealed record TableConfigRow(
    string Id, string Db, string Name, string PrimaryKey, IReadOnlyList<ShardConfig> Shards, string WriteAcks, string Durability)
{
    public TableRef Table => new(Db, Name);

    internal static TableConfigRow Read(RowReader row)
    {
        var shards = row.Field("shards");
        var acks = row.Field("write_acks");
        return new(row.Field("id").String(), row.Field("db").String(), row.Field("name").String(), row.Field("primary_key").String(),
            shards.Items().Select(ShardConfig.Read).ToList() is { Count: > 0 } list ? list : throw shards.Invalid("must list at least one shard"),
            acks.Element.ValueKind == JsonValueKind.String ? acks.String() : acks.Raw(),
            row.Field("durability").String());
    }
}

/// <summary>One shard of a <see cref="TableConfigRow"/>: its primary and every replica (the primary among them).</summary>
public sealed record ShardConfig(string? PrimaryReplica, IReadOnlyList<string> Replicas, IReadOnlyList<string> NonvotingReplicas)
{
    internal static ShardConfig Read(RowReader shard) =>
        new(shard.Field("primary_replica").StringOrNull(), shard.Field("replicas").Strings(),
            shard.Has("nonvoting_replicas") ? shard.Field("nonvoting_replicas").Strings() : []);
}
