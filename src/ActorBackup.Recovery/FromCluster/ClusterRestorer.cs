using ActorBackup.Recovery.Restore;
using ActorBackup.ReQL.Net;

namespace ActorBackup.Recovery.FromCluster;

/// <summary>What a restore of every backed-up table at the restorable point did.</summary>
public sealed record ClusterRestoreOutcome(RestoreReport Report, IReadOnlyList<string> Tables, long At);

/// <summary>
/// Restores every table the cluster backs up, as of its restorable point, into a new database: the restore the
/// demo and the drills run (the restore verb does the same with the operator's choices).
/// </summary>
public static class ClusterRestorer
{
    public static async Task<ClusterRestoreOutcome> RestoreAsync(HttpClient http, string adminUrl, ConnectionOptions target, string db,
        IProgress<RestoreProgress>? progress, CancellationToken ct)
    {
        var backup = await ClusterBackupSource.ConnectAsync(http, adminUrl, null, ct);
        var tables = backup.SelectTables([]);
        var at = backup.ResolvePoint(null, forceUnsafe: false);
        var inputs = await backup.RestoreTablesAsync(db, tables, at, ct);
        var report = await new RestoreEngine(target, new RestoreOptions(), progress).RunAsync(db, inputs, ct);
        return new ClusterRestoreOutcome(report, tables, at);
    }
}
