using System.Text.Json;
using ActorBackup.Cli.CommandLine;
using ActorBackup.Cli.Progress;
using ActorBackup.Recovery.Archive;
using ActorBackup.ReQL.Ast;
using ActorBackup.ReQL.Errors;
using ActorBackup.ReQL.Net;

namespace ActorBackup.Cli.Verbs.Dump;

/// <summary>
/// Runs a dump: picks the tables, dumps up to --clients of them at once into one archive written under a
/// temporary name in the target folder, and renames it to --out only once it is complete.
/// </summary>
internal sealed class DumpOrchestrator(DumpSettings settings, TextWriter output)
{
    public async Task<int> RunAsync(CancellationToken ct)
    {
        CheckTarget();
        var tables = await TablesAsync(ct);
        var folder = Path.GetDirectoryName(settings.Out)!;
        var temporary = Path.Combine(folder, $".{Path.GetFileName(settings.Out)}.{Guid.NewGuid():N}.partial");
        try
        {
            long compressed;
            await using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                await using var archive = DumpArchiveWriter.Create(file, new DumpArchiveOptions { TempDirectory = folder });
                var done = await ProgressDisplay.RunAsync(output, async display =>
                {
                    var started = tables.Select(t => new TableDump(settings, t, display)).ToList();
                    await Parallel.ForEachAsync(started.Select((dump, i) => (dump, name: tables[i])),
                        new ParallelOptions { MaxDegreeOfParallelism = settings.Clients, CancellationToken = ct },
                        async (job, token) => await RunTableAsync(job.dump, job.name, archive, token));
                    return started;
                });
                await archive.CompleteAsync(ct);
                compressed = archive.CompressedBytes;
                await file.FlushAsync(ct);
                output.WriteLine($"dumped {tables.Count} tables, {done.Sum(d => d.Rows)} documents of {settings.Db} to {settings.Out} ({compressed / 1e6:0.0} MB)");
            }
            File.Move(temporary, settings.Out, overwrite: settings.Overwrite);
            return ExitCodes.Ok;
        }
        finally
        {
            if (File.Exists(temporary))
                File.Delete(temporary);
        }
    }

    private async Task RunTableAsync(TableDump dump, string table, DumpArchiveWriter archive, CancellationToken ct)
    {
        try
        {
            await dump.RunAsync(archive, ct);
        }
        catch (ReqlError e)
        {
            throw new CliError($"dumping {settings.Db}.{table} failed: {e.Message}");
        }
    }

    private void CheckTarget()
    {
        if (Directory.Exists(settings.Out))
            throw new CliError($"{settings.Out} is a directory; --out takes the archive's file name", ExitCodes.Usage);
        if (File.Exists(settings.Out) && !settings.Overwrite)
            throw new CliError($"{settings.Out} already exists", ExitCodes.Usage, "pass --overwrite to replace it");
        if (!Directory.Exists(Path.GetDirectoryName(settings.Out)))
            throw new CliError($"the folder of {settings.Out} does not exist", ExitCodes.Usage);
    }

    private async Task<IReadOnlyList<string>> TablesAsync(CancellationToken ct)
    {
        JsonElement list;
        try
        {
            await using var connection = await Connection.ConnectAsync(settings.Connection, ct);
            list = await R.Db(settings.Db).TableList().RunAtomAsync(connection, ct);
        }
        catch (ReqlConnectionError e)
        {
            throw new CliError($"cannot reach {settings.Connection.Host}:{settings.Connection.Port}: {e.Message}");
        }
        catch (ReqlError e)
        {
            throw new CliError($"cannot list the tables of {settings.Db}: {e.Message}");
        }
        var existing = list.EnumerateArray().Select(t => t.GetString()!).ToList();
        if (settings.Tables.Count == 0)
        {
            if (existing.Count == 0)
                throw new CliError($"database {settings.Db} has no tables");
            return existing.Order(StringComparer.Ordinal).ToList();
        }
        var missing = settings.Tables.Where(t => !existing.Contains(t)).ToList();
        if (missing.Count > 0)
            throw new CliError($"no table {string.Join(", ", missing.Select(t => $"{settings.Db}.{t}"))} on the source");
        return settings.Tables;
    }
}
