using System.Globalization;
using System.Text.Json.Nodes;
using ActorBackup.Tags;
using ActorBackup.Tags.Planning;

namespace ActorBackup.Cli.Verbs.Tags;

/// <summary>A plan as the operator reads it (text) or a program does (one JSON object holding each reconfigure's optargs as sent).</summary>
internal static class PlanReport
{
    public static void WriteText(TextWriter w, TagPlan plan, string origin)
    {
        var servers = plan.Servers;
        var tags = plan.Request.Tags;
        w.WriteLine($"server-tag layout from {origin}");
        w.WriteLine($"servers: {tags.Original} {servers.Original.Count} ({string.Join(", ", servers.Original)}), "
                    + $"{tags.Backup} {servers.Backup.Count} ({string.Join(", ", servers.Backup)})");
        foreach (var table in plan.Tables)
        {
            w.WriteLine();
            w.WriteLine($"{table.Table}: {Shards(table.Config.Shards.Count)}{(table.AlreadyApplied ? ", already in the layout (left alone)" : "")}");
            for (var i = 0; i < table.Current.Count; i++)
                w.WriteLine($"  {(i == 0 ? "now:" : ""),-10}{CurrentShard(table, i, servers)}");
            w.WriteLine($"  {"planned:",-10}replicas {table.Reconfigure.ReplicasText}, primary_replica_tag: {table.Reconfigure.PrimaryReplicaTag}");
            if (!table.AlreadyApplied)
                w.WriteLine($"  {"sends:",-10}{table.Reconfigure.ToCall(table.Table)}");
            foreach (var note in table.Notes)
                w.WriteLine($"  {"note:",-10}{note}");
        }
        foreach (var note in plan.Notes)
        {
            w.WriteLine();
            w.WriteLine($"note: {note}");
        }
        w.WriteLine();
        var toChange = plan.ToChange.Count();
        w.WriteLine(toChange == 0
            ? $"every table is in the layout already: nothing to reconfigure"
            : $"{Count(toChange, "table")} to reconfigure, {plan.Tables.Count - toChange} already in the layout: `actorbackup tags apply` with the same options sends the reconfigures above");
    }

    public static void WriteJson(TextWriter w, TagPlan plan, string origin)
    {
        var tags = plan.Request.Tags;
        var root = new JsonObject
        {
            ["origin"] = origin,
            ["tags"] = new JsonObject { ["original"] = tags.Original, ["backup"] = tags.Backup },
            ["servers"] = new JsonObject { ["original"] = Strings(plan.Servers.Original), ["backup"] = Strings(plan.Servers.Backup) },
            ["tables"] = new JsonArray(plan.Tables.Select(t => (JsonNode)Table(t)).ToArray()),
            ["notes"] = Strings(plan.Notes),
        };
        w.WriteLine(root.ToJsonString(TagsJson.Options));
    }

    private static JsonObject Table(TablePlan table)
    {
        var planned = new JsonObject();
        foreach (var (tag, count) in table.Reconfigure.ReplicasByTag)
            planned[tag] = count;
        return new JsonObject
        {
            ["db"] = table.Table.Db,
            ["table"] = table.Table.Name,
            ["shards"] = table.Config.Shards.Count,
            ["alreadyApplied"] = table.AlreadyApplied,
            ["current"] = new JsonArray(table.Config.Shards.Select((s, i) => (JsonNode)new JsonObject
            {
                ["shard"] = i + 1,
                ["primary"] = s.PrimaryReplica,
                ["replicas"] = Strings(s.Replicas),
                ["original"] = table.Current[i].Original,
                ["backup"] = table.Current[i].Backup,
                ["other"] = table.Current[i].Other,
                ["notConnected"] = table.Current[i].Disconnected,
            }).ToArray()),
            ["planned"] = new JsonObject { ["replicas"] = planned, ["primary_replica_tag"] = table.Reconfigure.PrimaryReplicaTag },
            ["reconfigure"] = table.AlreadyApplied ? null : SentOptArgs(table),
            ["notes"] = Strings(table.Notes),
        };
    }

    /// <summary>The optargs object of the very term `tags apply` sends, read back from its wire JSON.</summary>
    private static JsonNode SentOptArgs(TablePlan table)
    {
        var term = JsonNode.Parse(TagQueries.Reconfigure(table.Table, table.Reconfigure, dryRun: false).ToWireJson())!.AsArray();
        return term[2]!.DeepClone();
    }

    private static string CurrentShard(TablePlan table, int index, ServerRoles servers)
    {
        var shard = table.Config.Shards[index];
        var counts = table.Current[index];
        var tags = servers.Tags;
        var text = $"{{{tags.Original}: {counts.Original}, {tags.Backup}: {counts.Backup}"
                   + (counts.Other > 0 ? $", neither tag: {counts.Other}" : "")
                   + (counts.Disconnected > 0 ? $", not connected: {counts.Disconnected}" : "") + "}";
        var primary = shard.PrimaryReplica is { } p ? servers.Describe(p) : "none";
        return $"shard {index + 1}: replicas {text} on {string.Join(", ", shard.Replicas)}; primary {primary}";
    }

    private static JsonArray Strings(IEnumerable<string> values) => new(values.Select(v => (JsonNode)JsonValue.Create(v)).ToArray());

    private static string Shards(int n) => Count(n, "shard");

    private static string Count(int n, string noun) => $"{n.ToString(CultureInfo.InvariantCulture)} {noun}{(n == 1 ? "" : "s")}";
}
