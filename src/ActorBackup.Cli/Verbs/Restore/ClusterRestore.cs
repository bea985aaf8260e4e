using ActorBackup.Cli.CommandLine;
using ActorBackup.Cli.Progress;
using ActorBackup.Recovery.FromCluster;
using ActorBackup.Recovery.Restore;
using ActorBackup.ReQL.Net;

namespace ActorBackup.Cli.Verbs.Restore;

/// <summary>Restores the ledger at T from the backup cluster with the <see cref="RestoreEngine"/>, then verifies it.</summary>
internal sealed class ClusterRestore(ClusterSelection selection, ConnectionOptions target, string db, RestoreOptions options, TextWriter output)
{
    public async Task<int> RunAsync(CancellationToken ct)
    {
        using var http = selection.Client();
        var (source, tables, at) = await selection.OpenAsync(http, output, ct);
        RestoreReport report;
        try
        {
            var inputs = await source.RestoreTablesAsync(db, tables, at, ct);
            report = await ProgressDisplay.RunAsync(output, display =>
                new RestoreEngine(target, options, new RestoreBars(display)).RunAsync(db, inputs, ct));
        }
        catch (Exception e) when (e is RestoreException or BackupClusterException)
        {
            throw new CliError(e.Message);
        }
        foreach (var warning in report.Warnings)
            output.WriteLine($"warning: {warning}");
        var documents = report.Tables.Sum(t => t.Documents);
        var where = $"{db} on {target.Host}:{target.Port}";
        var asOf = ClusterBackupSource.Iso(at);
        if (report.DryRun)
        {
            output.WriteLine($"dry run: {documents} documents in {report.Tables.Count} tables as of {asOf} would go to {where}; nothing was written");
            return ExitCodes.Ok;
        }
        if (!report.Verified)
            throw new CliError($"verification failed: {report.FirstProblem}", ExitCodes.VerificationFailed);
        output.WriteLine($"restored {documents} documents in {report.Tables.Count} tables into {where} as of {asOf} from {source.AdminUrl}; counts and digests verified{selection.Verified()}");
        return ExitCodes.Ok;
    }
}
