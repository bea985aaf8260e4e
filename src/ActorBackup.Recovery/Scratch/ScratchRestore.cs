using System.Diagnostics;
using ActorBackup.Recovery.FromCluster;
using ActorBackup.Recovery.Restore;
using ActorBackup.Recovery.Verification;
using ActorBackup.ReQL.Ast;
using ActorBackup.ReQL.Errors;
using ActorBackup.ReQL.Net;

namespace ActorBackup.Recovery.Scratch;

/// <summary>
/// Proves the backup restores: every table the cluster backs up, as of its restorable point, read through the admin
/// endpoint like <c>restore --admin</c>, into a new scratch database, verified against the backup by the restore engine
/// and, when a source is given, compared with the source's records up to the same point. The restore the demo and the
/// drills run.
/// </summary>
public static class ScratchRestore
{
    /// <summary>HTTP timeout for opening a request; record streams then run as long as they deliver.</summary>
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Restores from the cluster at <paramref name="adminUrl"/> (sending the admin token <paramref name="token"/>, if any) into <paramref name="target"/>; the scratch database is
    /// dropped only when nothing differs, unless it is to be kept. Failures are part of the result, never thrown: the
    /// caller reports them.
    /// </summary>
    public static async Task<ScratchRestoreResult> RunAsync(string adminUrl, string? token, ScratchTarget target, ComparedSource? source, CancellationToken ct)
    {
        using var http = Admin.Contract.Access.AdminHttp.Create(RequestTimeout, token);
        var comparedWith = source is null ? "the backup" : "the backup and the source";
        var clock = Stopwatch.StartNew();
        long? at = null;
        long documents = 0;
        try
        {
            var backup = await ClusterBackupSource.ConnectAsync(http, adminUrl, null, ct);
            var tables = backup.SelectTables([]);
            var point = backup.ResolvePoint(null, forceUnsafe: false);
            at = point;
            var report = await new RestoreEngine(target.Server, new RestoreOptions(), null)
                .RunAsync(target.Database, await backup.RestoreTablesAsync(target.Database, tables, point, ct), ct);
            documents = report.Tables.Sum(t => t.Documents);
            var problem = report.Verified ? null : $"the restore differs from the backup: {report.FirstProblem}";
            await using var restored = await Connection.ConnectAsync(target.Server, ct);
            if (problem is null && source is not null)
                problem = await CompareWithSourceAsync(source, restored, target.Database, tables, point, ct);
            var drop = problem is null && !target.Keep && report.CreatedDatabase;
            if (drop)
                await R.DbDrop(target.Database).RunAtomAsync(restored, ct);
            return new ScratchRestoreResult(target.Database, target.Endpoint, at, documents, comparedWith, problem, clock.Elapsed, drop);
        }
        catch (Exception e) when (e is BackupClusterException or RestoreException or ReqlError or HttpRequestException or InvalidDataException
                                      or TaskCanceledException && !ct.IsCancellationRequested)
        {
            return new ScratchRestoreResult(target.Database, target.Endpoint, at, documents, comparedWith, $"the restore failed: {e.Message}", clock.Elapsed, false);
        }
    }

    private static async Task<string?> CompareWithSourceAsync(ComparedSource source, IConnection restored, string restoredDb,
        IReadOnlyList<string> tables, long at, CancellationToken ct)
    {
        await using var connection = await Connection.ConnectAsync(source.Server, ct);
        foreach (var table in tables)
        {
            var comparison = await SourceComparison.CompareAsync(connection, source.Database, restored, restoredDb, table, at, ct);
            if (comparison.Problem is { } problem)
                return $"the restore differs from the source: {problem}";
        }
        return null;
    }
}
