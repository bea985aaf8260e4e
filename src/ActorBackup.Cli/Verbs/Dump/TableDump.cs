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
                    await using var cursor = await Page(info.PrimaryKey, lastKey).RunCursorAsync(connection, SourceTableInfo.Raw, token);
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

    private Term Page(string primaryKey, JsonElement? lastKey) => PrimaryKeyPage.After(Table, primaryKey, lastKey, settings.PageSize);

    private async Task<(TableInfo Info, long? Estimate)> ReadInfoAsync(Connection connection, CancellationToken ct)
    {
        try
        {
            return await SourceTableInfo.ReadAsync(connection, settings.Db, table, ct);
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
