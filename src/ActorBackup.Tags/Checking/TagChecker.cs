using ActorBackup.Tags.SystemTables;

namespace ActorBackup.Tags.Checking;

/// <summary>
/// Checks the layout as it is now, from <c>table_status</c> (what the servers report, not what was configured): every
/// shard's primary on an original-tagged server and the asked number of ready replicas on backup-tagged servers.
/// </summary>
public static class TagChecker
{
    public static TagCheckReport Check(SystemTablesSnapshot tables, TagCheckRequest request)
    {
        var roles = new ServerRoles(tables.Servers, request.Tags);
        return new TagCheckReport(request, request.Tables.Select(t => CheckTable(tables.StatusOf(t), t, roles, request)).ToList());
    }

    private static TableCheck CheckTable(TableStatusRow? status, TableRef table, ServerRoles roles, TagCheckRequest request)
    {
        if (status is null)
            return new TableCheck(table, [], "no such table in rethinkdb.table_status");
        if (status.Shards is null)
            return new TableCheck(table, [], "its status is unavailable: RethinkDB cannot tell where its shards are");
        return new TableCheck(table, status.Shards.Select((s, i) => CheckShard(s, i + 1, roles, request)).ToList(), null);
    }

    private static ShardCheck CheckShard(ShardStatus shard, int number, ServerRoles roles, TagCheckRequest request)
    {
        var tags = request.Tags;
        var problems = new List<string>();
        var primaryOnOriginal = shard.PrimaryReplicas.Count > 0 && shard.PrimaryReplicas.All(roles.IsOriginal);
        if (shard.PrimaryReplicas.Count == 0)
            problems.Add("no primary");
        foreach (var primary in shard.PrimaryReplicas.Where(p => !roles.IsOriginal(p)))
            problems.Add($"primary on {roles.Describe(primary)}, not on a server tagged '{tags.Original}'");

        var backup = shard.Replicas.Where(r => roles.IsBackup(r.Server)).ToList();
        var ready = backup.Count(r => r.IsReady);
        if (ready < request.BackupReplicas)
        {
            // A server that is down is no longer in server_config, so its tags are unknown; it is named, as it may be the missing backup.
            var shortOf = backup.Where(r => !r.IsReady).Select(r => $"{r.Server} {r.State}")
                .Concat(shard.Replicas.Where(r => !roles.IsConnected(r.Server)).Select(r => $"{r.Server} {r.State}, tags unknown"))
                .ToList();
            var counted = $"{ready} ready {(ready == 1 ? "replica" : "replicas")} on servers tagged '{tags.Backup}', {request.BackupReplicas} asked";
            problems.Add(backup.Count == 0 && shortOf.Count == 0
                ? $"{counted}: no replica on a server tagged '{tags.Backup}'"
                : shortOf.Count == 0 ? counted : $"{counted} ({string.Join("; ", shortOf)})");
        }
        return new ShardCheck(number, shard.PrimaryReplicas, primaryOnOriginal, backup, ready, problems);
    }
}
