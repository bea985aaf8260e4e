using System.Text.Json.Nodes;
using ActorBackup.Tags.Checking;

namespace ActorBackup.Cli.Verbs.Tags;

/// <summary>A check as the operator reads it (one line per shard, each failing shard named) or as one JSON object.</summary>
internal static class CheckReport
{
    public static void WriteText(TextWriter w, TagCheckReport report, string origin)
    {
        var request = report.Request;
        w.WriteLine($"server-tag check of {origin}: every primary on '{request.Tags.Original}', "
                    + $"{request.BackupReplicas} ready {(request.BackupReplicas == 1 ? "replica" : "replicas")} per shard on '{request.Tags.Backup}'");
        var shards = 0;
        foreach (var table in report.Tables)
        {
            if (table.Problem is { } problem)
            {
                w.WriteLine($"{table.Table}: FAILS: {problem}");
                continue;
            }
            foreach (var shard in table.Shards)
            {
                shards++;
                var at = $"{table.Table} shard {shard.Number} of {table.Shards.Count}";
                w.WriteLine(shard.Ok
                    ? $"{at}: ok (primary {string.Join(", ", shard.Primaries)}; ready on '{request.Tags.Backup}': "
                      + $"{string.Join(", ", shard.BackupReplicas.Where(r => r.IsReady).Select(r => r.Server))})"
                    : $"{at}: FAILS: {string.Join("; ", shard.Problems)}");
            }
        }
        var notChecked = report.Tables.Count(t => t.Problem is not null);
        var failing = report.Failing - notChecked;
        w.WriteLine(report.Ok
            ? $"ok: all {shards} shards of {string.Join(", ", report.Tables.Select(t => t.Table))} are as asked"
            : $"FAILS: {failing} of {shards} shards fall short" + (notChecked > 0 ? $", {notChecked} of {report.Tables.Count} tables could not be checked" : ""));
    }

    public static void WriteJson(TextWriter w, TagCheckReport report, string origin)
    {
        var request = report.Request;
        var root = new JsonObject
        {
            ["origin"] = origin,
            ["tags"] = new JsonObject { ["original"] = request.Tags.Original, ["backup"] = request.Tags.Backup },
            ["backupReplicas"] = request.BackupReplicas,
            ["ok"] = report.Ok,
            ["failing"] = report.Failing,
            ["tables"] = new JsonArray(report.Tables.Select(t => (JsonNode)new JsonObject
            {
                ["db"] = t.Table.Db,
                ["table"] = t.Table.Name,
                ["ok"] = t.Ok,
                ["problem"] = t.Problem,
                ["shards"] = new JsonArray(t.Shards.Select(s => (JsonNode)new JsonObject
                {
                    ["shard"] = s.Number,
                    ["ok"] = s.Ok,
                    ["primaries"] = new JsonArray(s.Primaries.Select(p => (JsonNode)JsonValue.Create(p)).ToArray()),
                    ["primaryOnOriginal"] = s.PrimaryOnOriginal,
                    ["backupReplicas"] = new JsonArray(s.BackupReplicas.Select(r => (JsonNode)new JsonObject { ["server"] = r.Server, ["state"] = r.State }).ToArray()),
                    ["readyBackupReplicas"] = s.ReadyBackupReplicas,
                    ["problems"] = new JsonArray(s.Problems.Select(p => (JsonNode)JsonValue.Create(p)).ToArray()),
                }).ToArray()),
            }).ToArray()),
        };
        w.WriteLine(root.ToJsonString(TagsJson.Options));
    }
}
