using ActorBackup.Cli.CommandLine;
using ActorBackup.Cli.Verbs.Restore;
using ActorBackup.Recovery.Archive;
using ActorBackup.Recovery.FromCluster;

namespace ActorBackup.Cli.Verbs.Export;

/// <summary>`actorbackup export`: the ledger at T from the backup cluster, as a `rethinkdb dump` archive.</summary>
public sealed class ExportVerb : IVerb
{
    public string Name => "export";

    public string Summary => "Write the ledger as of a point in time from the backup cluster to a rethinkdb-dump-compatible .tar.gz.";

    public IReadOnlyList<OptionSpec> Options { get; } =
    [
        SharedOptions.Admin("Admin endpoint of any backup node."),
        SharedOptions.TokenFile,
        new("out", "FILE", "The archive to write (.tar.gz).", Required: true),
        new("db", "NAME", "The database name inside the archive.", Default: "bigchain"),
        SharedOptions.At("Keep the blocks and votes with a timestamp at or before TIME (Unix seconds or ISO 8601; default: the restorable point)."),
        SharedOptions.Tables("A table to export; repeat for several (default: every table backed up)."),
        SharedOptions.ForceUnsafeAt,
        SharedOptions.FederationKeys(ClusterSelection.KeysHelp),
        SharedOptions.Overwrite,
    ];

    public IReadOnlyList<string> Examples { get; } =
    [
        "actorbackup export --admin http://127.0.0.1:8558 --out bigchain.tar.gz",
        "actorbackup export --admin http://127.0.0.1:8558 --at 2017-07-14T12:00:00Z --out bigchain_noon.tar.gz",
        "actorbackup export --admin http://127.0.0.1:8558 --out bigchain.tar.gz --federation-keys federation-keys.json",
    ];

    public void Check(ParsedArgs args) => Settings(args);

    public async Task<int> RunAsync(ParsedArgs args, TextWriter output, CancellationToken cancellationToken)
    {
        var (file, db, selection) = Settings(args);
        if (File.Exists(file) && !args.GetFlag("overwrite"))
            throw new CliError($"{file} already exists", ExitCodes.Usage, "--overwrite to replace it");
        if (Path.GetDirectoryName(file) is { } folder && !Directory.Exists(folder))
            throw new CliError($"the folder {folder} does not exist", ExitCodes.Usage);

        using var http = selection.Client();
        var (source, tables, at) = await selection.OpenAsync(http, output, cancellationToken);
        // Written beside the target and renamed at the end: a failed export never leaves a partial archive under the name.
        var temporary = file + $".{Environment.ProcessId}.partial";
        long rows = 0;
        try
        {
            await using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true))
            await using (var archive = DumpArchiveWriter.Create(stream))
            {
                foreach (var table in tables)
                {
                    using var writer = archive.BeginTable(await source.TableInfoAsync(db, table, cancellationToken));
                    await foreach (var document in source.Documents(table, at, cancellationToken))
                        writer.WriteRow(document);
                    await writer.CompleteAsync(cancellationToken);
                    rows += writer.Rows;
                    output.WriteLine($"{table}: {writer.Rows} documents");
                }
                // The point the cluster was read at, so an import of this archive can claim exactly that and no more.
                await archive.AddFileAsync(db, ArchivePoint.FileName, new ArchivePoint(at, tables).Write(), cancellationToken);
                await archive.CompleteAsync(cancellationToken);
            }
            File.Move(temporary, file, overwrite: true);
        }
        catch (BackupClusterException e)
        {
            throw new CliError(e.Message);
        }
        finally
        {
            File.Delete(temporary);
        }
        output.WriteLine($"exported {rows} documents in {tables.Count} tables as of {ClusterBackupSource.Iso(at)} to {file}{selection.Verified()}");
        return ExitCodes.Ok;
    }

    private (string File, string Db, ClusterSelection Selection) Settings(ParsedArgs args)
    {
        var db = args.GetRequiredString("db");
        if (!DumpArchiveWriter.IsValidName(db) || db == "rethinkdb")
            throw CliError.Usage($"--db must be a database name of letters, digits, _ and - other than rethinkdb (got '{db}')", Name);
        var selection = new ClusterSelection(args.GetUrl("admin").OriginalString, args.GetString("token-file"), args.GetAll("tables").Distinct().ToList(),
            args.Has("at") ? args.GetTime("at") : null, args.GetFlag("force-unsafe-at"), args.GetString("federation-keys"));
        return (Path.GetFullPath(args.GetRequiredString("out")), db, selection);
    }
}
