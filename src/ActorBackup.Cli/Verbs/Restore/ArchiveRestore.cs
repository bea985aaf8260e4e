using ActorBackup.Cli.CommandLine;
using ActorBackup.Cli.Progress;
using ActorBackup.Recovery.Archive;
using ActorBackup.Recovery.Restore;

namespace ActorBackup.Cli.Verbs.Restore;

/// <summary>Restores the tables of a dump archive with the <see cref="RestoreEngine"/>, showing progress per table.</summary>
internal sealed class ArchiveRestore(ArchiveRestoreSettings settings, TextWriter output)
{
    public async Task<int> RunAsync(CancellationToken ct)
    {
        DumpArchiveReader archive;
        try
        {
            archive = DumpArchiveReader.Open(settings.Archive);
        }
        catch (ArchiveFormatException e)
        {
            throw new CliError(e.Message);
        }
        var names = archive.Tables.Select(t => t.Info.Name).ToList();
        var unknown = settings.Tables.Where(t => !names.Contains(t)).ToList();
        if (unknown.Count > 0)
            throw new CliError($"no table {string.Join(", ", unknown)} in {settings.Archive} (it holds {string.Join(", ", names)})", ExitCodes.Usage);
        var filter = settings.At is { } at ? new PointInTimeFilter(at.ToUnixTimeSeconds()) : null;
        var tables = ArchiveRestoreSource.Tables(archive,
            t => settings.Tables.Count == 0 || settings.Tables.Contains(t.Info.Name),
            filter is null ? null : (table, document) => filter.Keeps(table.Info.Name, document));

        RestoreReport report;
        try
        {
            report = await ProgressDisplay.RunAsync(output, display =>
                new RestoreEngine(settings.Target, settings.Options, new RestoreBars(display)).RunAsync(settings.Db, tables, ct));
        }
        catch (RestoreException e)
        {
            throw new CliError(e.Message);
        }
        foreach (var warning in report.Warnings)
            output.WriteLine($"warning: {warning}");
        var documents = report.Tables.Sum(t => t.Documents);
        var asOf = settings.At is { } time ? $" as of {time.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss'Z'}" : "";
        var where = $"{settings.Db} on {settings.Target.Host}:{settings.Target.Port}";
        if (report.DryRun)
        {
            output.WriteLine($"dry run: would {(report.CreatedDatabase ? "create" : "restore into the existing")} database {where}");
            foreach (var t in report.Tables)
                output.WriteLine($"  {t.Table}: {t.Documents} documents ({t.Bytes / 1e6:0.0} MB), primary key {t.PrimaryKey}, indexes: {(t.Indexes.Count == 0 ? "none" : string.Join(", ", t.Indexes))}");
            output.WriteLine($"dry run: {documents} documents in {report.Tables.Count} tables{asOf}; nothing was written");
            return ExitCodes.Ok;
        }
        if (!report.Verified)
            throw new CliError($"verification failed: {report.FirstProblem}", ExitCodes.VerificationFailed);
        output.WriteLine($"restored {documents} documents in {report.Tables.Count} tables into {where}{asOf}; counts and digests verified");
        return ExitCodes.Ok;
    }
}
