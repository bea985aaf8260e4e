using System.Text.Json;
using ActorBackup.Cli.CommandLine;
using ActorBackup.Cli.Progress;
using ActorBackup.Recovery.Archive;
using ActorBackup.ReQL.Ast;
using ActorBackup.ReQL.Errors;
using ActorBackup.ReQL.Net;

namespace ActorBackup.Cli.Verbs.Dump;

/// <summary>
/// Dumps one table: its metadata, then its rows in primary-key order, page by page with
/// <c>between(lastKey, maxval, left_bound: "open").order_by(index: pk).limit(n)</c>. A transient failure (lost
/// connection, unavailable table) reconnects after a backoff and resumes after the last row written, so the
/// table's data holds every row once.
/// </summary>
internal sealed class TableDump(DumpSettings settings, string table, ProgressDisplay progress)
{
    // Raw so that TIME and BINARY values stay the $reql_type$ objects the Python tool stores.
    private static readonly RunOptions Raw = new() { TimeFormat = "raw", BinaryFormat = "raw" };

    private Connection? _connection;
    private int _failures;

    /// <summary>Documents written.</summary>
    public long Rows { get; private set; }

    public async Task RunAsync(DumpArchiveWriter archive, CancellationToken ct)
    {
        try
        {
            var (info, estimate) = await WithRetryAsync(ReadInfoAsync, ct);
            var bar = progress.Add($"{settings.Db}.{table}", estimate);
            using var data = archive.BeginTable(info);
            JsonElement? lastKey = null;
            var more = true;
            while (more)
            {
                more = await WithRetryAsync(async (connection, token) =>
                {
                    var read = 0;
                    await using var cursor = await Page(info.PrimaryKey, lastKey).RunCursorAsync(connection, Raw, token);
                    await foreach (var row in cursor)
                    {
                        if (row.ValueKind != JsonValueKind.Object || !row.TryGetProperty(info.PrimaryKey, out var key))
                            throw new CliError($"{settings.Db}.{table}: a row without its primary key `{info.PrimaryKey}`");
                        data.WriteRow(row);
                        lastKey = key.Clone();
                        read++;
                        Rows++;
                        _failures = 0;
                        bar.Advance(1);
                    }
                    return read == settings.PageSize;
                }, ct);
            }
            await data.CompleteAsync(ct);
            bar.Finish($"{Rows} documents");
        }
        finally
        {
            if (_connection is not null)
                await _connection.DisposeAsync();
        }
    }

    private Term Table => R.Db(settings.Db).Table(table);

    private Term Page(string primaryKey, JsonElement? lastKey) =>
        Table.Between(lastKey is { } key ? R.Expr(key) : R.Minval(), R.Maxval())[new { left_bound = "open" }]
            .OrderBy()[new { index = primaryKey }]
            .Limit(settings.PageSize);

    private async Task<(TableInfo Info, long? Estimate)> ReadInfoAsync(Connection connection, CancellationToken ct)
    {
        var info = await Table.Info().RunAtomAsync(connection, Raw, ct);
        var indexes = await Table.IndexStatus().RunAtomAsync(connection, Raw, ct);
        JsonElement? hook;
        try
        {
            hook = await new RawTerm($"[{(int)TermType.GetWriteHook},[{Table.ToWireJson()}]]").RunAtomAsync(connection, Raw, ct);
        }
        catch (ReqlError e) when (!e.IsTransient)
        {
            // Servers before 2.4 (and reqlite) have no write hooks; the Python tool then writes null too.
            hook = null;
        }
        long? estimate = info.TryGetProperty("doc_count_estimates", out var counts) && counts.ValueKind == JsonValueKind.Array
            ? counts.EnumerateArray().Where(c => c.ValueKind == JsonValueKind.Number).Sum(c => c.GetInt64())
            : null;
        try
        {
            return (TableInfo.FromSource(settings.Db, table, info, indexes, hook), estimate);
        }
        catch (FormatException e)
        {
            throw new CliError(e.Message);
        }
    }

    private async Task<T> WithRetryAsync<T>(Func<Connection, CancellationToken, Task<T>> work, CancellationToken ct)
    {
        while (true)
        {
            try
            {
                _connection ??= await Connection.ConnectAsync(settings.Connection, ct);
                return await work(_connection, ct);
            }
            catch (ReqlError e) when (e.IsTransient && ++_failures < settings.MaxAttempts)
            {
                if (_connection is not null)
                    await _connection.DisposeAsync();
                _connection = null;
                var delay = settings.RetryDelay * Math.Pow(2, _failures - 1);
                await Task.Delay(delay < TimeSpan.FromSeconds(10) ? delay : TimeSpan.FromSeconds(10), ct);
            }
        }
    }
}
