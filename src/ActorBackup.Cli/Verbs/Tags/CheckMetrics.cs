using ActorBackup.Cli.CommandLine;
using ActorBackup.Cluster.Admin;
using ActorBackup.Tags.Checking;

namespace ActorBackup.Cli.Verbs.Tags;

/// <summary>
/// `tags check --prometheus FILE`: the check as gauges for node_exporter's textfile collector. The file is replaced
/// in one rename, so a scrape never reads half of it; a check that could not read the cluster still writes
/// <c>actorbackup_tags_check_success 0</c>, so that an alert fires rather than old gauges staying up.
/// </summary>
internal static class CheckMetrics
{
    public static string Text(TagCheckReport report, DateTimeOffset at)
    {
        var w = Header(true, at);
        w.Metric("actorbackup_tags_backup_replicas_asked", "Ready replicas each shard must have on backup-tagged servers.",
            [("", (double)report.Request.BackupReplicas)]);
        w.Metric("actorbackup_tags_shards_failing", "Shards (and tables that could not be checked) that fall short.", [("", (double)report.Failing)]);
        w.Metric("actorbackup_tags_table_checked", "1 when the table's shards could be checked (it exists and its status is available).",
            report.Tables.Select(t => (Table(t), t.Problem is null ? 1.0 : 0.0)));
        var shards = report.Tables.SelectMany(t => t.Shards.Select(s => (Labels: Shard(t, s), Shard: s))).ToList();
        w.Metric("actorbackup_tags_shard_ok", "1 when the shard's primary is on an original-tagged server and it has the asked ready backup replicas.",
            shards.Select(s => (s.Labels, s.Shard.Ok ? 1.0 : 0.0)));
        w.Metric("actorbackup_tags_shard_primary_on_original", "1 when every primary of the shard is on an original-tagged server.",
            shards.Select(s => (s.Labels, s.Shard.PrimaryOnOriginal ? 1.0 : 0.0)));
        w.Metric("actorbackup_tags_shard_ready_backup_replicas", "Replicas of the shard on backup-tagged servers that are ready.",
            shards.Select(s => (s.Labels, (double)s.Shard.ReadyBackupReplicas)));
        return w.ToString();
    }

    /// <summary>What is written when the system tables could not be read.</summary>
    public static string Failed(DateTimeOffset at) => Header(false, at).ToString();

    public static void Write(string path, string text)
    {
        var temporary = $"{path}.{Environment.ProcessId}.tmp";
        try
        {
            File.WriteAllText(temporary, text);
            File.Move(temporary, path, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            File.Delete(temporary);
            throw new CliError($"cannot write {path}: {e.Message}");
        }
    }

    private static PrometheusWriter Header(bool success, DateTimeOffset at)
    {
        var w = new PrometheusWriter();
        w.Metric("actorbackup_tags_check_success", "1 when the check read the cluster's system tables, 0 when it could not.", [("", success ? 1.0 : 0.0)]);
        w.Metric("actorbackup_tags_check_timestamp_seconds", "When the check ran, Unix seconds.", [("", (double)at.ToUnixTimeSeconds())]);
        return w;
    }

    private static string Table(TableCheck table) => PrometheusWriter.Labels(("db", table.Table.Db), ("table", table.Table.Name));

    private static string Shard(TableCheck table, ShardCheck shard) =>
        PrometheusWriter.Labels(("db", table.Table.Db), ("table", table.Table.Name), ("shard", shard.Number.ToString(System.Globalization.CultureInfo.InvariantCulture)));
}
