using System.Text.Json;

namespace ActorBackup.Tags.SystemTables;

/// <summary>
/// A row of <c>rethinkdb.table_status</c> (also what <c>table.status()</c> returns): what the cluster can serve now,
/// and the state of every replica of every shard.
/// </summary>
/// <param name="Shards">Null when RethinkDB cannot tell (the table is unavailable).</param>
public sealed record TableStatusRow(string Id, string Db, string Name, TableReadiness Status, IReadOnlyList<ShardStatus>? Shards)
{
    public TableRef Table => new(Db, Name);

    internal static TableStatusRow Read(RowReader row)
    {
        var shards = row.Field("shards");
        return new(row.Field("id").String(), row.Field("db").String(), row.Field("name").String(), TableReadiness.Read(row.Field("status")),
            shards.Element.ValueKind == JsonValueKind.Null ? null : shards.Items().Select(ShardStatus.Read).ToList());
    }
}

/// <summary>The <c>status</c> object of a <see cref="TableStatusRow"/>.</summary>
public sealed record TableReadiness(bool AllReplicasReady, bool ReadyForWrites, bool ReadyForReads, bool ReadyForOutdatedReads)
{
    internal static TableReadiness Read(RowReader status) =>
        new(status.Field("all_replicas_ready").Bool(), status.Field("ready_for_writes").Bool(),
            status.Field("ready_for_reads").Bool(), status.Field("ready_for_outdated_reads").Bool());
}

/// <summary>One shard of a <see cref="TableStatusRow"/>: the servers acting as its primary now and each replica's state.</summary>
public sealed record ShardStatus(IReadOnlyList<string> PrimaryReplicas, IReadOnlyList<ReplicaStatus> Replicas)
{
    internal static ShardStatus Read(RowReader shard) =>
        new(shard.Field("primary_replicas").Strings(),
            shard.Field("replicas").Items().Select(r => new ReplicaStatus(r.Field("server").String(), r.Field("state").String())).ToList());
}

/// <summary>
/// One replica in <c>table_status</c>: <c>ready</c>, or on its way (<c>backfilling</c>, <c>transitioning</c>,
/// <c>waiting_for_primary</c>, <c>waiting_for_quorum</c>), or <c>disconnected</c>.
/// </summary>
public sealed record ReplicaStatus(string Server, string State)
{
    public const string Ready = "ready";

    public bool IsReady => State == Ready;
}
