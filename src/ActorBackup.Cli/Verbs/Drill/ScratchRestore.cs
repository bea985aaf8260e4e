using System.Diagnostics;
using ActorBackup.Cli.CommandLine;
using ActorBackup.Recovery.FromCluster;
using ActorBackup.Recovery.Restore;
using ActorBackup.ReQL.Ast;
using ActorBackup.ReQL.Errors;
using ActorBackup.ReQL.Net;

namespace ActorBackup.Cli.Verbs.Drill;

/// <summary>
/// A drill's restore: every backed-up table as of the cluster's restorable point, read through the admin endpoint
/// like `restore --admin`, into a new scratch database, verified against the backup by the restore engine.
/// </summary>
internal static class ScratchRestore
{
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Checks, before anything is killed, that the scratch server answers and has no database of that name: a drill
    /// that could not prove its restore would have stopped processes for less.
    /// </summary>
    /// <exception cref="CliError">The server cannot be used (exit code 1), in one line.</exception>
    public static async Task PrepareAsync(ScratchTarget target, CancellationToken ct)
    {
        try
        {
            await using var connection = await Connection.ConnectAsync(target.Server, ct);
            var databases = await R.DbList().RunAtomAsync(connection, ct);
            if (databases.EnumerateArray().Any(d => d.GetString() == target.Database))
            {
                throw new CliError($"the scratch database {target.Database} already exists on {target.Endpoint}: a drill restores into a new database",
                    hint: "choose another --scratch-db, or leave it out for a new name");
            }
        }
        catch (ReqlError e)
        {
            throw new CliError($"cannot use the scratch RethinkDB at {target.Endpoint}: {e.Message}", hint: "--scratch names a RethinkDB server the drill may create a database on");
        }
    }

    /// <summary>
    /// Restores from the cluster at <paramref name="admin"/> into <paramref name="target"/>. When the restore verifies,
    /// <paramref name="compare"/> (if any) may find a further problem; the scratch database is dropped only when
    /// nothing did, unless it is to be kept. Failures are part of the result, never thrown: the drill reports them.
    /// </summary>
    public static async Task<DrillRestore> RunAsync(Uri admin, ScratchTarget target, string comparedWith,
        Func<IConnection, ClusterRestoreOutcome, CancellationToken, Task<string?>>? compare, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        long? at = null;
        long documents = 0;
        try
        {
            using var http = new HttpClient { Timeout = RequestTimeout };
            var outcome = await ClusterRestorer.RestoreAsync(http, admin.ToString(), target.Server, target.Database, null, ct);
            at = outcome.At;
            documents = outcome.Report.Tables.Sum(t => t.Documents);
            var problem = outcome.Report.Verified ? null : $"the restore differs from the backup: {outcome.Report.FirstProblem}";
            await using var connection = await Connection.ConnectAsync(target.Server, ct);
            if (problem is null && compare is not null)
                problem = await compare(connection, outcome, ct);
            var drop = problem is null && !target.Keep && outcome.Report.CreatedDatabase;
            if (drop)
                await R.DbDrop(target.Database).RunAtomAsync(connection, ct);
            return new DrillRestore(target.Database, target.Endpoint, at, documents, comparedWith, problem, clock.Elapsed, drop);
        }
        catch (Exception e) when (e is BackupClusterException or RestoreException or ReqlError or HttpRequestException or InvalidDataException
                                      or TaskCanceledException && !ct.IsCancellationRequested)
        {
            return new DrillRestore(target.Database, target.Endpoint, at, documents, comparedWith, $"the restore failed: {e.Message}", clock.Elapsed, false);
        }
    }
}
