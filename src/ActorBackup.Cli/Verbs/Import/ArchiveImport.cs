using ActorBackup.Admin.Contract;
using ActorBackup.Admin.Contract.Import;
using ActorBackup.Cli.CommandLine;
using ActorBackup.Cli.Progress;
using ActorBackup.Cluster.Capture;
using ActorBackup.Recovery.Archive;

namespace ActorBackup.Cli.Verbs.Import;

/// <summary>
/// Imports the tables of a dump archive into the cluster: the archive is checked whole first, then each table's
/// documents stream to the node in chunks, each acknowledged only once durable on R replicas. A failure stops the
/// import with how far it got; nothing is left half-imported silently, and running it again is safe. Once every
/// table is in, each gets the import's point in time (--as-of, or the newest verified record), which makes a cluster
/// that holds only the import restorable.
/// </summary>
internal sealed class ArchiveImport(ImportSettings settings, TextWriter output)
{
    public async Task<int> RunAsync(CancellationToken ct)
    {
        var archive = Open();
        var tables = Choose(archive);
        var recorded = RecordedPoint(archive, tables);
        using var client = new ImportClient(settings);
        await Fail(() => client.CheckReachableAsync(ct), null);

        var summaries = tables.ToDictionary(t => t.Info.Name, t => ImportSummary.Empty(t.Info.Name));
        var point = settings.AsOf ?? (recorded is null ? null : Watermark.At(recorded.At));
        var upTo = point is { } claimed ? new RecordsUpTo(claimed) : null;
        await ProgressDisplay.RunAsync(output, async display =>
        {
            var bars = tables.ToDictionary(t => t.Info.Name, t => display.Add(t.Info.Name, t.DocumentCount));
            var chunk = new Chunk(settings);
            string? current = null;
            foreach (var document in archive.ReadDocuments())
            {
                var table = document.Table.Info.Name;
                if (!bars.ContainsKey(table)) continue;
                if (current != table && current is not null)
                    await Finish(current);
                current = table;
                chunk.Add(DocumentLine.Of(document.Document));
                upTo?.Observe(table, document.Document);
                if (chunk.IsFull)
                    await Send(table);
            }
            if (current is not null)
                await Finish(current);
            // A table without documents gets its summary too.
            foreach (var (name, bar) in bars.Where(b => summaries[b.Key].Received == 0))
                bar.Finish(Describe(summaries[name]));
            return 0;

            async Task Finish(string table)
            {
                if (!chunk.IsEmpty)
                    await Send(table);
                bars[table].Finish(Describe(summaries[table]));
                bars.Remove(table);
            }

            async Task Send(string table)
            {
                var (body, count) = chunk.Take();
                var summary = await Fail(() => client.SendAsync(table, body, ct), summaries[table]);
                summaries[table] = summaries[table].Plus(summary);
                bars[table].Advance(count);
            }
        });

        var total = summaries.Values.Aggregate(ImportSummary.Empty(""), (a, s) => a.Plus(s));
        output.WriteLine($"imported {total.Received} documents of {summaries.Count} tables into the cluster at {settings.Admin}: "
                         + $"{total.Stored} stored, {total.Duplicates} already held, {total.Quarantined} quarantined; every one durable on R replicas");
        await SetPointAsync(client, summaries.Values.ToList(), upTo, recorded, ct);
        if (total.Quarantined == 0)
            return ExitCodes.Ok;
        foreach (var example in total.Examples.Take(5))
            output.WriteLine($"  quarantined {example.Id}: {example.Reason}: {example.Message}");
        output.WriteLine($"{total.Quarantined} documents failed verification and are kept in quarantine, never restored as valid");
        return ExitCodes.VerificationFailed;
    }

    /// <summary>
    /// The point the archive records for the chosen tables (an export writes one, <see cref="ArchivePoint"/>), or null
    /// for an archive that records none, as from <c>rethinkdb dump</c>. An --as-of past the recorded point, or for a table
    /// the point does not cover, is refused here, before anything is imported.
    /// </summary>
    private ArchivePoint? RecordedPoint(DumpArchiveReader archive, IReadOnlyList<ArchiveTable> tables)
    {
        if (tables.Count == 0) return null;
        ArchivePoint? point;
        try
        {
            point = ArchivePoint.Read(archive, tables[0].Info.Db);
        }
        catch (ArchiveFormatException e)
        {
            throw new CliError($"{e.Message}; nothing was imported");
        }
        if (point is null || settings.AsOf is not { } asOf) return point;
        if (asOf.Seconds > point.At)
            throw new CliError($"--as-of {asOf} is after the point the archive records ({Watermark.At(point.At)}): it proves no record past that; nothing was imported", ExitCodes.Usage);
        if (tables.FirstOrDefault(t => !point.Tables.Contains(t.Info.Name)) is { } uncovered)
            throw new CliError($"--as-of: the archive records a point for {string.Join(", ", point.Tables)}, not for {uncovered.Info.Name}; nothing was imported", ExitCodes.Usage);
        return point;
    }

    private async Task SetPointAsync(ImportClient client, IReadOnlyList<ImportSummary> summaries, RecordsUpTo? upTo, ArchivePoint? recorded, CancellationToken ct)
    {
        var newest = summaries.Select(s => s.Newest).DefaultIfEmpty(-1).Max();
        if (recorded is null && settings.AsOf is { } claimed && claimed.Seconds > newest)
        {
            throw new CliError(newest < 0
                ? $"--as-of {claimed}: no verified block or vote was imported and the archive records no point, so it proves no point in time; the records are imported, no point in time was set"
                : $"--as-of {claimed} is after the newest verified record of the archive ({Watermark.At(newest)}), and the archive records no point of its own (as from rethinkdb dump), so it proves no later one; the records are imported, no point in time was set");
        }
        if (settings.AsOf is null && recorded is null && newest < 0)
        {
            output.WriteLine("no verified block or vote was imported, so the import sets no point in time (--as-of sets one)");
            return;
        }
        var at = settings.AsOf ?? (recorded is not null ? Watermark.At(recorded.At) : Watermark.At(newest));
        var basis = settings.AsOf is not null
            ? recorded is null ? "as given by --as-of, at or before the newest verified record of the archive" : "as given by --as-of, at or before the point the archive records"
            : recorded is null ? "its newest verified record: the archive records no point of its own (as from rethinkdb dump), so that is all it proves"
            : "the point the archive records (actorbackup export read the cluster at it)";
        output.WriteLine($"point in time of the import: {at} ({at.Seconds}), {basis}");
        foreach (var summary in summaries)
        {
            // Only verified records reach the replicas: documents at or before the point less those quarantined (a lower bound).
            var records = summary.Newest <= at.Seconds ? summary.Stored + summary.Duplicates : Math.Max(0, upTo!.Count(summary.Table) - summary.Quarantined);
            ImportPointSet set;
            try
            {
                set = await client.SetPointAsync(summary.Table, at, records, ct);
            }
            catch (ImportFailedException e)
            {
                throw new CliError($"{e.Message}; the documents are durable on R replicas, but {summary.Table} has no point in time from this import; "
                                   + "running the import again is safe");
            }
            var later = set.Lowest > set.At ? $" (replicas already past it keep their later point, the earliest {set.Lowest})" : "";
            output.WriteLine($"{set.Table}: every record up to {set.At} held, watermark confirmed by {set.Replicas} replicas of {set.Shards} shards{later}");
        }
    }

    private DumpArchiveReader Open()
    {
        try
        {
            return DumpArchiveReader.Open(settings.Archive);
        }
        catch (ArchiveFormatException e)
        {
            throw new CliError($"{e.Message}; nothing was imported");
        }
    }

    private List<ArchiveTable> Choose(DumpArchiveReader archive)
    {
        var names = archive.Tables.Select(t => t.Info.Name).ToList();
        var unknown = settings.Tables.Where(t => !names.Contains(t)).ToList();
        if (unknown.Count > 0)
            throw new CliError($"no table {string.Join(", ", unknown)} in {settings.Archive} (it holds {string.Join(", ", names)})", ExitCodes.Usage);
        var chosen = new List<ArchiveTable>();
        foreach (var table in archive.Tables.Where(t => settings.Tables.Count == 0 || settings.Tables.Contains(t.Info.Name)))
        {
            if (RecordKinds.IsCapturable(table.Info.Name))
                chosen.Add(table);
            else
                output.WriteLine($"skipping {table.Info.Db}.{table.Info.Name} ({table.DocumentCount} documents): only bigchain and votes are backed up");
        }
        var twice = chosen.GroupBy(t => t.Info.Name).FirstOrDefault(g => g.Count() > 1);
        if (twice is not null)
            throw new CliError($"the archive holds table {twice.Key} in several databases ({string.Join(", ", twice.Select(t => t.Info.Db))}); the cluster backs up one ledger");
        return chosen;
    }

    private async Task<T> Fail<T>(Func<Task<T>> work, ImportSummary? progress)
    {
        try
        {
            return await work();
        }
        catch (ImportFailedException e)
        {
            var where = progress is null
                ? "nothing was imported"
                : $"{progress.Received} documents of {progress.Table} were durable on R replicas before it (tables before it are complete); "
                  + "running the import again is safe: records already stored are not stored twice";
            throw new CliError($"{e.Message}; {where}");
        }
    }

    private Task Fail(Func<Task> work, ImportSummary? progress) => Fail(async () =>
    {
        await work();
        return 0;
    }, progress);

    private static string Describe(ImportSummary s)
    {
        var reasons = s.Reasons.Count == 0 ? "" : $" ({string.Join(", ", s.Reasons.Select(r => $"{r.Key} {r.Value}"))})";
        return $"{s.Stored} imported, {s.Duplicates} duplicates, {s.Quarantined} quarantined{reasons}";
    }
}
