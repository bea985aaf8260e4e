using System.Diagnostics;
using ActorBackup.Recovery.FromCluster;
using ActorBackup.Recovery.Restore;
using ActorBackup.Recovery.Verification;
using ActorBackup.ReQL.Errors;
using ActorBackup.ReQL.Local;
using ActorBackup.ReQL.Net;

namespace ActorBackup.Cli.Verbs.Demo;

/// <summary>
/// The demo's restore step: the backup cluster's ledger as of its restorable point restored into a new database on
/// the source server, verified against the backup (counts and digests), then compared with the source itself.
/// </summary>
internal static class DemoRestore
{
    /// <summary>Restores from the cluster at <paramref name="admin"/> into a scratch database of <paramref name="source"/>.</summary>
    public static async Task<DemoRestoreResult> RunAsync(Uri admin, ReqliteProcess source, string sourceDatabase, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        var target = new ConnectionOptions { Host = source.Host, Port = source.Port };
        var db = $"bigchain_restored_{DateTimeOffset.UtcNow.ToUnixTimeSeconds()}";
        try
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
            var outcome = await ClusterRestorer.RestoreAsync(http, admin.ToString(), target, db, null, ct);
            var duration = clock.Elapsed;
            var records = outcome.Report.Tables.Sum(t => t.Documents);
            if (!outcome.Report.Verified)
                return new DemoRestoreResult(duration, records, false, $"restored {db} differs from the backup: {outcome.Report.FirstProblem}");
            await using var connection = await Connection.ConnectAsync(target, ct);
            foreach (var table in outcome.Tables)
            {
                var comparison = await SourceComparison.CompareAsync(connection, sourceDatabase, connection, db, table, outcome.At, ct);
                if (comparison.Problem is { } problem)
                    return new DemoRestoreResult(duration, records, false, $"restored {db} differs from the source: {problem}");
            }
            return new DemoRestoreResult(duration, records, true,
                $"{records} records as of {ClusterBackupSource.Iso(outcome.At)} in {db}: equal to the backup and to the source");
        }
        catch (Exception e) when (e is BackupClusterException or RestoreException or ReqlError or HttpRequestException)
        {
            return new DemoRestoreResult(clock.Elapsed, 0, false, $"restore failed: {e.Message}");
        }
    }
}
