using ActorBackup.Tags.SystemTables;

namespace ActorBackup.Tags.Planning;

/// <summary>
/// Where a table's configuration (as <c>table_config</c> or a reconfigure's <c>new_val</c> shows it) departs from
/// the planned layout. None means the table is in the layout: the same test decides that a table is already applied
/// and that a dry run or a reconfigure did what was planned.
/// </summary>
public static class LayoutDifferences
{
    public static IReadOnlyList<string> Between(TableConfigRow config, ReconfigureArgs planned, ServerRoles roles)
    {
        var differences = new List<string>();
        if (config.Shards.Count != planned.Shards)
            differences.Add($"{config.Shards.Count} shards, {planned.Shards} planned");
        for (var i = 0; i < config.Shards.Count; i++)
        {
            var shard = config.Shards[i];
            var counts = roles.Count(shard.Replicas);
            var at = $"shard {i + 1}";
            if (counts.Original != planned.OriginalReplicas)
                differences.Add($"{at}: {counts.Original} replicas on servers tagged '{roles.Tags.Original}', {planned.OriginalReplicas} planned");
            if (counts.Backup != planned.BackupReplicas)
                differences.Add($"{at}: {counts.Backup} replicas on servers tagged '{roles.Tags.Backup}', {planned.BackupReplicas} planned");
            foreach (var server in shard.Replicas.Where(s => !roles.IsOriginal(s) && !roles.IsBackup(s)))
                differences.Add(roles.IsConnected(server)
                    ? $"{at}: a replica on {roles.Describe(server)}, which has neither tag"
                    : $"{at}: a replica on {server}, which is not connected (its tags are unknown)");
            if (shard.PrimaryReplica is not { } primary || !roles.IsOriginal(primary))
                differences.Add($"{at}: primary {(shard.PrimaryReplica is { } p ? roles.Describe(p) : "none")}, not on a server tagged '{roles.Tags.Original}'");
            if (shard.NonvotingReplicas.Count > 0)
                differences.Add($"{at}: nonvoting replicas {string.Join(", ", shard.NonvotingReplicas)}, none planned");
        }
        return differences;
    }
}
