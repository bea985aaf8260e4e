namespace ActorBackup.Tags.SystemTables;

/// <summary>
/// A row of <c>rethinkdb.server_config</c>: one server connected to the cluster and its tags. RethinkDB lists only
/// connected servers here; a server that is down is absent, though tables still name it as a replica.
/// </summary>
/// <param name="Id">The server's UUID.</param>
/// <param name="Name">The name tables use for it in <c>table_config</c> and <c>table_status</c>.</param>
/// <param name="Tags">Its tags; a server started without <c>--server-tag</c> has <c>default</c>.</param>
public sealed record ServerConfigRow(string Id, string Name, IReadOnlyList<string> Tags)
{
    internal static ServerConfigRow Read(RowReader row) =>
        new(row.Field("id").String(), row.Field("name").String(), row.Field("tags").Strings());
}
