using ActorBackup.Tags.SystemTables;

namespace ActorBackup.Tags.Planning;

/// <summary>
/// Plans BigchainDB's server-tag backup layout from the system tables: each table keeps its shard count, gets its
/// replicas on original- and backup-tagged servers as asked, and keeps every primary on an original server. Refuses,
/// in one line, a layout that cannot work. Pure: the same tables and request always give the same outcome.
/// </summary>
public static class TagPlanner
{
    public static IPlanOutcome Plan(SystemTablesSnapshot tables, TagLayoutRequest request)
    {
        var tags = request.Tags;
        var roles = new ServerRoles(tables.Servers, tags);
        if (Refuse(roles, request) is { } refusal)
            return refusal;

        var plans = new List<TablePlan>();
        foreach (var table in request.Tables)
        {
            if (tables.ConfigOf(table) is not { } config)
            {
                var known = tables.Tables.Where(t => t.Db == table.Db).Select(t => t.Name).Order(StringComparer.Ordinal).ToList();
                return Layout($"no table {table} in rethinkdb.table_config ({(known.Count == 0 ? $"database {table.Db} has no tables" : $"tables of {table.Db}: {string.Join(", ", known)}")})");
            }
            var current = config.Shards.Select(s => roles.Count(s.Replicas)).ToList();
            var original = current.Max(request.OriginalReplicas.For);
            if (original < 1)
                return Layout($"--original-replicas {request.OriginalReplicas} leaves {table} no replica on '{tags.Original}' servers "
                              + $"(it has {current.Max(c => c.Original + c.Other)} per shard outside '{tags.Backup}' servers now), and its primaries must stay there");
            if (original > roles.Original.Count)
                return Layout($"{table} needs {original} replicas per shard on servers tagged '{tags.Original}' (--original-replicas {request.OriginalReplicas}) "
                              + $"but {Servers(roles.Original)}");
            var args = new ReconfigureArgs(config.Shards.Count, tags, original, request.BackupReplicas);
            var status = tables.StatusOf(table);
            var applied = LayoutDifferences.Between(config, args, roles).Count == 0;
            plans.Add(new TablePlan(table, config, status, current, args, applied, Notes(config, status, applied)));
        }

        var notReady = plans.Where(p => !p.AlreadyApplied && p.Status is not { Status.AllReplicasReady: true }).ToList();
        if (notReady.Count > 0)
            return new PlanRefusal(RefusalKind.NotReady,
                $"not every replica is ready in {string.Join("; ", notReady.Select(p => $"{p.Table} ({NotReady(p.Status)})"))}: "
                + "a reconfigure now could leave the table unavailable; wait until `tags check` or the web UI shows every replica ready");
        return new TagPlan(request, roles, plans, ClusterNotes(tables.Servers, tags));
    }

    private static PlanRefusal? Refuse(ServerRoles roles, TagLayoutRequest request)
    {
        var tags = request.Tags;
        var inUse = $"the tags in this cluster are: {string.Join(", ", roles.AllTags)}";
        if (roles.Original.Count == 0)
            return Layout($"no server has the tag '{tags.Original}' (--original); {inUse}");
        if (roles.Backup.Count == 0)
            return Layout($"no server has the backup tag '{tags.Backup}' (--backup): start the backup servers with --server-tag {tags.Backup} "
                          + $"or add the tag in rethinkdb.server_config; {inUse}");
        if (roles.Original.Intersect(roles.Backup).FirstOrDefault() is { } both)
            return Layout($"server {both} has both tags '{tags.Original}' and '{tags.Backup}': RethinkDB cannot place replicas by two tags "
                          + "that share a server; remove one of them from its tags in rethinkdb.server_config");
        if (request.BackupReplicas > roles.Backup.Count)
            return Layout($"--backup-replicas {request.BackupReplicas} needs {request.BackupReplicas} servers tagged '{tags.Backup}' but {Servers(roles.Backup)}");
        return null;
    }

    private static string Servers(IReadOnlyList<string> names) =>
        names.Count == 1 ? $"only 1 server has that tag ({names[0]})" : $"only {names.Count} servers have that tag ({string.Join(", ", names)})";

    private static PlanRefusal Layout(string reason) => new(RefusalKind.Layout, reason);

    /// <summary>"shard 2: backup-1 backfilling", or why the table has no status.</summary>
    public static string NotReady(TableStatusRow? status)
    {
        if (status is null)
            return "no row in rethinkdb.table_status";
        if (status.Shards is null)
            return "its status is unavailable";
        var replicas = status.Shards.SelectMany((s, i) => s.Replicas.Where(r => !r.IsReady).Select(r => $"shard {i + 1}: {r.Server} {r.State}")).ToList();
        return replicas.Count > 0 ? string.Join(", ", replicas) : "all_replicas_ready is false";
    }

    private static IReadOnlyList<string> Notes(TableConfigRow config, TableStatusRow? status, bool applied)
    {
        var notes = new List<string>();
        if (!applied && config.WriteAcks != "majority")
            notes.Add($"the reconfigure resets write_acks to majority (now {config.WriteAcks})");
        if (!applied && config.Durability != "hard")
            notes.Add($"the reconfigure resets durability to hard (now {config.Durability})");
        if (applied && status is not { Status.AllReplicasReady: true })
            notes.Add($"not every replica is ready ({NotReady(status)}); `tags check` follows it");
        return notes;
    }

    private static IReadOnlyList<string> ClusterNotes(IReadOnlyList<ServerConfigRow> servers, TagNames tags)
    {
        const string defaultTag = "default";
        if (tags.Original == defaultTag || tags.Backup == defaultTag)
            return [];
        var backupWithDefault = servers.Where(s => s.Tags.Contains(tags.Backup) && s.Tags.Contains(defaultTag)).Select(s => s.Name).ToList();
        return backupWithDefault.Count == 0
            ? []
            : [$"{string.Join(", ", backupWithDefault)} also {(backupWithDefault.Count == 1 ? "has" : "have")} the tag '{defaultTag}': a reconfigure by a replica count "
               + $"(as bigchaindb set-replicas sends) would put replicas and primaries there; remove '{defaultTag}' from their tags in rethinkdb.server_config"];
    }
}
