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
        using var client = new ImportClient(settings);
        await Fail(() => client.CheckReachableAsync(ct), null);

        var summaries = tables.ToDictionary(t => t.Info.Name, t => ImportSummary.Empty(t.Info.Name));
        var upTo = settings.AsOf is { } asOf ? new RecordsUpTo(asOf) : null;
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
        await SetPointAsync(client, summaries.Values.ToList(), upTo, ct);
        if (total.Quarantined == 0)
            return ExitCodes.Ok;
        foreach (var example in total.Examples.Take(5))
            output.WriteLine($"  quarantined {example.Id}: {example.Reason}: {example.Message}");
        output.WriteLine($"{total.Quarantined} documents failed verification and are kept in quarantine, never restored as valid");
        return ExitCodes.VerificationFailed;
    }

    private async Task SetPointAsync(ImportClient client, IReadOnlyList<ImportSummary> summaries, RecordsUpTo? upTo, CancellationToken ct)
    {
        var newest = summaries.Select(s => s.Newest).DefaultIfEmpty(-1).Max();
        if (settings.AsOf is null && newest < 0)
        {
            output.WriteLine("no verified block or vote was imported, so the import sets no point in time (--as-of sets one)");
            return;
        }
        var at = settings.AsOf ?? Watermark.At(newest);
        output.WriteLine($"point in time of the import: {at} ({at.Seconds}), {(settings.AsOf is null ? "its newest verified record" : "as given by --as-of")}");
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
