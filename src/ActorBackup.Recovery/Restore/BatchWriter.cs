using System.Text.Json;
using ActorBackup.Recovery.Verification;
using ActorBackup.ReQL.Ast;
using ActorBackup.ReQL.Errors;
using ActorBackup.ReQL.Net;

namespace ActorBackup.Recovery.Restore;

/// <summary>
/// One writer: its own connection, inserting batches one at a time. A transient failure reconnects after a backoff
/// and inserts the batch again; since the first try may have landed, a retry that meets "duplicate primary key"
/// reads those rows back and accepts them only if they equal the documents being restored (as <c>rethinkdb
/// import</c> does).
/// </summary>
internal sealed class BatchWriter(ConnectionOptions target, string db, RestoreOptions options) : IAsyncDisposable
{
    private static readonly RunOptions Raw = new() { TimeFormat = "raw", BinaryFormat = "raw" };

    private readonly object _insertOptions = new
    {
        conflict = options.Force ? "replace" : "error",
        durability = options.HardDurability ? "hard" : "soft",
    };

    private Connection? _connection;

    public async Task WriteAsync(DocumentBatch batch, CancellationToken ct)
    {
        var table = R.Db(db).Table(batch.Table.Name);
        var insert = table.Insert(R.Array([.. batch.Documents.Select(d => (object?)d)]))[_insertOptions];
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                _connection ??= await Connection.ConnectAsync(target, ct);
                var result = await insert.RunWriteAsync(_connection, ct);
                if (attempt > 1 && result.Errors > 0 && !options.Force)
                    await AcceptIdenticalRowsAsync(table, batch, result, ct);
                else
                    Check(batch, result);
                batch.Table.Written(batch.Documents.Length, batch.Bytes,
                    batch.Documents.Aggregate(TableDigest.Empty, (sum, d) => sum + TableDigest.Of(d)));
                return;
            }
            catch (ReqlError e) when (e.IsTransient && attempt < options.MaxAttempts)
            {
                await DropConnectionAsync();
                var delay = options.RetryDelay * Math.Pow(2, attempt - 1);
                await Task.Delay(delay < TimeSpan.FromSeconds(5) ? delay : TimeSpan.FromSeconds(5), ct);
            }
            catch (ReqlError e)
            {
                throw new RestoreException(e.IsTransient
                    ? $"writing to {db}.{batch.Table.Name} on {target.Host}:{target.Port} failed {attempt} times: {OneLine(e.Message)}"
                    : $"writing to {db}.{batch.Table.Name} failed: {OneLine(e.Message)}", e);
            }
        }
    }

    private void Check(DocumentBatch batch, WriteResult result)
    {
        if (result.Errors > 0)
            throw new RestoreException($"writing to {db}.{batch.Table.Name}: {result.Errors} of {batch.Documents.Length} documents refused: {OneLine(result.FirstError ?? "no reason given")}");
        var stored = result.Inserted + result.Replaced + result.Unchanged;
        if (stored != batch.Documents.Length)
            throw new RestoreException($"writing to {db}.{batch.Table.Name}: the server stored {stored} of {batch.Documents.Length} documents");
    }

    /// <summary>After a retry: every document must now be in the target, and equal to ours.</summary>
    private async Task AcceptIdenticalRowsAsync(Term table, DocumentBatch batch, WriteResult result, CancellationToken ct)
    {
        var pk = batch.Table.PrimaryKey;
        var keys = batch.Documents.Select(d => (object?)d.GetProperty(pk)).ToArray();
        var stored = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        await using (var cursor = await table.GetAll(keys).RunCursorAsync(_connection!, Raw, ct))
        {
            await foreach (var row in cursor.WithCancellation(ct))
                stored[KeyOf(row.GetProperty(pk))] = DigestForm.Of(row);
        }
        foreach (var document in batch.Documents)
        {
            var key = document.GetProperty(pk);
            if (!stored.TryGetValue(KeyOf(key), out var existing))
                throw new RestoreException($"writing to {db}.{batch.Table.Name}: {result.Errors} of {batch.Documents.Length} documents refused: {OneLine(result.FirstError ?? "no reason given")}");
            if (!existing.AsSpan().SequenceEqual(DigestForm.Of(document)))
                throw new RestoreException($"writing to {db}.{batch.Table.Name}: duplicate primary key {key.GetRawText()}: the target holds a different document");
        }
    }

    private static string KeyOf(JsonElement key) => Convert.ToHexString(DigestForm.Of(key));

    private static string OneLine(string text) => text.ReplaceLineEndings(" ").Trim();

    private async Task DropConnectionAsync()
    {
        if (_connection is not null)
            await _connection.DisposeAsync();
        _connection = null;
    }

    public ValueTask DisposeAsync() => _connection?.DisposeAsync() ?? ValueTask.CompletedTask;
}
