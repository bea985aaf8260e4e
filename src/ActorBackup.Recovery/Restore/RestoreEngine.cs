using System.Runtime.InteropServices;
using System.Text.Json;
using System.Threading.Channels;
using ActorBackup.Recovery.Archive;
using ActorBackup.Recovery.Verification;
using ActorBackup.ReQL.Ast;
using ActorBackup.ReQL.Errors;
using ActorBackup.ReQL.Net;

namespace ActorBackup.Recovery.Restore;

/// <summary>
/// Restores tables into a RethinkDB database: checks the target, creates the database and tables, streams the
/// documents through a bounded queue to <see cref="RestoreOptions.Writers"/> parallel connections (memory stays
/// bounded whatever the table size), recreates the secondary indexes, then reads every table back and compares
/// its count and <see cref="TableDigest"/> with what was written. Tables are read one after another, in the order
/// given, each exactly once. Failures are <see cref="RestoreException"/>s with a one-line message; a verification
/// mismatch is not a failure but a result (<see cref="RestoreReport.Verified"/>).
/// </summary>
public sealed class RestoreEngine(ConnectionOptions target, RestoreOptions? options = null, IProgress<RestoreProgress>? progress = null)
{
    private readonly RestoreOptions _options = options ?? new RestoreOptions();

    public async Task<RestoreReport> RunAsync(string database, IReadOnlyList<RestoreTable> tables, CancellationToken ct = default)
    {
        _options.Validate();
        CheckNames(database, tables);
        await using var admin = await ConnectAsync(ct);
        var state = await OnTargetAsync(() => TargetState.InspectAsync(admin, database, ct));
        if (state.TotalDocuments > 0 && !_options.Force)
            throw new RestoreException($"database {database} on {Where} already holds {state.TotalDocuments} documents; restoring into it needs --force (rows with the same primary key are then replaced)");
        foreach (var table in tables.Where(t => state.TableDocuments.ContainsKey(t.Name)))
        {
            var pk = await OnTargetAsync(() => TargetState.PrimaryKeyAsync(admin, database, table.Name, ct));
            if (pk != table.Info.PrimaryKey)
                throw new RestoreException($"table {database}.{table.Name} already exists with primary key {pk}, not {table.Info.PrimaryKey}");
        }
        if (_options.DryRun)
            return await DryRunAsync(database, tables, state, ct);

        await OnTargetAsync(() => CreateAsync(admin, database, tables, state, ct));
        var runs = tables.Select(t => new TableRun(t, progress)).ToList();
        await WriteAsync(database, runs, ct);

        var warnings = new List<string>();
        var indexes = new Dictionary<string, IReadOnlyList<string>>();
        foreach (var run in runs)
        {
            run.Report(RestorePhase.Written);
            IReadOnlyList<string> created = [];
            if (_options.SecondaryIndexes)
            {
                (created, var problems) = await OnTargetAsync(() => IndexRestorer.RestoreAsync(admin, database, run.Table.Info, ct));
                warnings.AddRange(problems);
            }
            indexes[run.Name] = created;
            run.Report(RestorePhase.Indexed);
        }

        var reports = new List<TableReport>();
        foreach (var run in runs)
        {
            var verification = await OnTargetAsync(() => TableVerifier.VerifyAsync(admin, database, run.Name, run.Documents, run.Digest, ct));
            run.Report(RestorePhase.Verified);
            reports.Add(new TableReport(run.Name, run.PrimaryKey, run.Documents, run.Bytes, indexes[run.Name], verification));
        }
        return new RestoreReport(database, false, !state.DatabaseExists, reports, warnings);
    }

    private string Where => $"{target.Host}:{target.Port}";

    private static void CheckNames(string database, IReadOnlyList<RestoreTable> tables)
    {
        if (!DumpArchiveWriter.IsValidName(database) || database == "rethinkdb")
            throw new RestoreException($"'{database}' is not a database name a restore can write (letters, digits, _ and -; not rethinkdb)");
        foreach (var table in tables)
        {
            if (!DumpArchiveWriter.IsValidName(table.Name))
                throw new RestoreException($"'{table.Name}' is not a valid table name (letters, digits, _ and -)");
        }
        var twice = tables.GroupBy(t => t.Name).FirstOrDefault(g => g.Count() > 1);
        if (twice is not null)
            throw new RestoreException($"table {twice.Key} is given more than once");
    }

    private async Task<Connection> ConnectAsync(CancellationToken ct)
    {
        try
        {
            return await Connection.ConnectAsync(target, ct);
        }
        catch (ReqlError e)
        {
            throw new RestoreException($"cannot reach the target {Where}: {OneLine(e.Message)}", e);
        }
    }

    private async Task<T> OnTargetAsync<T>(Func<Task<T>> work)
    {
        try
        {
            return await work();
        }
        catch (ReqlError e)
        {
            throw new RestoreException($"the target {Where} failed: {OneLine(e.Message)}", e);
        }
    }

    private async Task OnTargetAsync(Func<Task> work) => await OnTargetAsync(async () =>
    {
        await work();
        return true;
    });

    private static async Task CreateAsync(IConnection admin, string database, IReadOnlyList<RestoreTable> tables, TargetState state, CancellationToken ct)
    {
        if (!state.DatabaseExists)
            await R.DbCreate(database).RunAtomAsync(admin, ct);
        foreach (var table in tables.Where(t => !state.TableDocuments.ContainsKey(t.Name)))
            await R.Db(database).TableCreate(table.Name)[new { primary_key = table.Info.PrimaryKey }].RunAtomAsync(admin, ct);
    }

    private async Task<RestoreReport> DryRunAsync(string database, IReadOnlyList<RestoreTable> tables, TargetState state, CancellationToken ct)
    {
        var reports = new List<TableReport>();
        foreach (var table in tables)
        {
            long documents = 0, bytes = 0;
            await foreach (var document in ReadAsync(table, ct))
            {
                documents++;
                bytes += JsonMarshal.GetRawUtf8Value(document).Length;
            }
            var indexes = _options.SecondaryIndexes ? IndexRestorer.Planned(table.Info).Select(i => i.Name).ToList() : [];
            reports.Add(new TableReport(table.Name, table.Info.PrimaryKey, documents, bytes, indexes, null));
        }
        return new RestoreReport(database, true, !state.DatabaseExists, reports, []);
    }

    /// <summary>One reader filling the queue, table after table; the writers emptying it. The first failure stops all.</summary>
    private async Task WriteAsync(string database, IReadOnlyList<TableRun> runs, CancellationToken ct)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var queue = Channel.CreateBounded<DocumentBatch>(new BoundedChannelOptions(_options.QueuedBatches)
        {
            SingleWriter = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        var reader = Task.Run(async () =>
        {
            try
            {
                await FillAsync(runs, queue.Writer, stop.Token);
                queue.Writer.Complete();
            }
            catch (Exception e)
            {
                queue.Writer.TryComplete(e);
                await stop.CancelAsync();
                throw;
            }
        }, CancellationToken.None);
        var writers = Enumerable.Range(0, _options.Writers).Select(_ => Task.Run(async () =>
        {
            await using var writer = new BatchWriter(target, database, _options);
            try
            {
                await foreach (var batch in queue.Reader.ReadAllAsync(stop.Token))
                    await writer.WriteAsync(batch, stop.Token);
            }
            catch
            {
                await stop.CancelAsync();
                throw;
            }
        }, CancellationToken.None)).ToList();
        try
        {
            await Task.WhenAll([reader, .. writers]);
        }
        catch when (!ct.IsCancellationRequested)
        {
            // The first real failure, not the cancellations it caused in the other tasks.
            var failure = new[] { reader }.Concat(writers)
                .Select(t => t.Exception?.InnerException)
                .FirstOrDefault(e => e is not null and not OperationCanceledException and not ChannelClosedException);
            if (failure is RestoreException)
                throw failure;
            if (failure is not null)
                throw new RestoreException(OneLine(failure.Message), failure);
            throw;
        }
    }

    private async Task FillAsync(IReadOnlyList<TableRun> runs, ChannelWriter<DocumentBatch> queue, CancellationToken ct)
    {
        foreach (var run in runs)
        {
            run.Report(RestorePhase.Started);
            var batch = new List<JsonElement>(_options.BatchRows);
            long bytes = 0;
            await foreach (var document in ReadAsync(run.Table, ct))
            {
                var size = JsonMarshal.GetRawUtf8Value(document).Length;
                if (batch.Count > 0 && (batch.Count == _options.BatchRows || bytes + size > _options.BatchBytes))
                {
                    await queue.WriteAsync(new DocumentBatch(run, [.. batch], bytes), ct);
                    batch.Clear();
                    bytes = 0;
                }
                batch.Add(document);
                bytes += size;
            }
            if (batch.Count > 0)
                await queue.WriteAsync(new DocumentBatch(run, [.. batch], bytes), ct);
        }
    }

    /// <summary>The table's documents, each checked to be an object holding the primary key (so a retried insert can be checked).</summary>
    private static async IAsyncEnumerable<JsonElement> ReadAsync(RestoreTable table, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        var pk = table.Info.PrimaryKey;
        long index = 0;
        await using var documents = table.Documents.GetAsyncEnumerator(ct);
        while (true)
        {
            JsonElement document;
            try
            {
                if (!await documents.MoveNextAsync())
                    yield break;
                document = documents.Current;
            }
            catch (Exception e) when (e is not (OperationCanceledException or RestoreException))
            {
                throw new RestoreException($"reading the documents of {table.Name} failed: {OneLine(e.Message)}", e);
            }
            index++;
            if (document.ValueKind != JsonValueKind.Object || !document.TryGetProperty(pk, out _))
                throw new RestoreException($"document {index} of {table.Name} is not an object with its primary key `{pk}`");
            yield return document;
        }
    }

    private static string OneLine(string text) => text.ReplaceLineEndings(" ").Trim();
}
