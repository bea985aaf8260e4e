using System.Runtime.CompilerServices;
using System.Text.Json;
using ActorBackup.Ledger.Documents;
using ActorBackup.Ledger.Selection;
using ActorBackup.Recovery.Archive;
using ActorBackup.ReQL.Ast;
using ActorBackup.ReQL.Errors;
using ActorBackup.ReQL.Net;

namespace ActorBackup.Recovery.Bundle.Sources;

/// <summary>
/// Reads a bundle from a federation's RethinkDB with BigchainDB's own secondary indexes (reference §2.3):
/// <c>transaction_id</c> for transactions by id, <c>asset_id</c> with <c>transaction_id</c> for an asset's TRANSFERs
/// and CREATE, <c>block_and_voter</c> for the votes on a block. Where an index is missing, or cannot answer (no index
/// covers the keys of transaction inputs; reqlite evaluates <c>asset_id</c> differently), the table is scanned in
/// primary-key pages instead, and <see cref="Reads"/> says so.
/// </summary>
public sealed class ReqlBundleSource(ConnectionOptions connection, string db, bool forceScan, int pageSize = 1000) : IBundleSource
{
    /// <summary>Ids sent in one get_all.</summary>
    private const int KeysPerQuery = 100;

    private readonly List<string> _reads = [];
    private Connection? _connection;
    private HashSet<string>? _blockIndexes;
    private HashSet<string>? _voteIndexes;

    public string Description => $"rethinkdb {connection.Host}:{connection.Port} database {db}";

    public IReadOnlyList<string> Reads => _reads;

    private Term Blocks => R.Db(db).Table(BundleLayout.BlocksTable);

    private Term Votes => R.Db(db).Table(BundleLayout.VotesTable);

    public async Task<(TableInfo Blocks, TableInfo Votes)> TableInfosAsync(string archiveDb, CancellationToken ct)
    {
        var c = await OpenAsync(ct);
        return await Run(async () =>
        {
            try
            {
                var (blocks, _) = await SourceTableInfo.ReadAsync(c, db, BundleLayout.BlocksTable, ct);
                var (votes, _) = await SourceTableInfo.ReadAsync(c, db, BundleLayout.VotesTable, ct);
                return (blocks with { Db = archiveDb }, votes with { Db = archiveDb });
            }
            catch (FormatException e)
            {
                throw new BundleSourceException($"{Description}: {e.Message}", e);
            }
        });
    }

    public async IAsyncEnumerable<BundleDocument> BlocksAsync(TransactionSelection selection, IProgress<BundleReadProgress> progress,
        [EnumeratorCancellation] CancellationToken ct)
    {
        var c = await OpenAsync(ct);
        var scanBecause = new List<string>();
        if (forceScan)
            scanBecause.Add("asked to scan (--scan)");
        var indexed = new List<(string Index, IReadOnlyList<string> Keys, string What)>();
        if (!forceScan && selection.TransactionIds.Count > 0)
        {
            if (_blockIndexes!.Contains("transaction_id"))
                indexed.Add(("transaction_id", selection.TransactionIds, $"{selection.TransactionIds.Count} transaction ids"));
            else
                scanBecause.Add("it has no transaction_id index");
        }
        if (!forceScan && selection.AssetIds.Count > 0)
        {
            if (!_blockIndexes!.Contains("asset_id") || !_blockIndexes.Contains("transaction_id"))
                scanBecause.Add("it lacks the asset_id or transaction_id index");
            else if (c.ServerVersion is null)
                scanBecause.Add("the server announced no RethinkDB version (reqlite, which evaluates BigchainDB's asset_id index differently)");
            else
            {
                indexed.Add(("asset_id", selection.AssetIds, $"{selection.AssetIds.Count} asset ids (the TRANSFERs)"));
                indexed.Add(("transaction_id", selection.AssetIds, $"{selection.AssetIds.Count} asset ids (the CREATEs)"));
            }
        }
        if (!forceScan && selection.PublicKeys.Count > 0)
            scanBecause.Add("no index covers the public keys of transaction inputs");

        long read = 0;
        foreach (var (index, keys, what) in indexed)
        {
            _reads.Add($"{BundleLayout.BlocksTable}: index {index} for {what}");
            foreach (var chunk in keys.Chunk(KeysPerQuery))
            {
                var rows = await Run(() => All(Blocks.GetAll(chunk.Cast<object?>().ToArray())[new { index }], ct));
                foreach (var row in rows)
                {
                    progress.Report(new BundleReadProgress(BundleLayout.BlocksTable, ++read, null));
                    yield return BundleDocument.Of(RecordKind.Block, row);
                }
            }
        }
        if (scanBecause.Count == 0)
            yield break;
        _reads.Add($"{BundleLayout.BlocksTable}: scanned whole: {string.Join("; ", scanBecause)}");
        await foreach (var row in ScanAsync(Blocks, BundleLayout.BlocksTable, progress, ct))
            yield return BundleDocument.Of(RecordKind.Block, row);
    }

    public async IAsyncEnumerable<BundleDocument> VotesAsync(IReadOnlyCollection<string> blockIds, IProgress<BundleReadProgress> progress,
        [EnumeratorCancellation] CancellationToken ct)
    {
        await OpenAsync(ct);
        string? scanBecause = forceScan ? "asked to scan (--scan)" : !_voteIndexes!.Contains("block_and_voter") ? "it has no block_and_voter index" : null;
        var fromIndex = new List<JsonElement>();
        if (scanBecause is null)
        {
            long read = 0;
            foreach (var block in blockIds)
            {
                var rows = await Run(() => SmallOrNull(Votes.Between(R.Array(block, R.Minval()), R.Array(block, R.Maxval()))[new { index = "block_and_voter" }], ct));
                if (rows is null)
                {
                    scanBecause = "the server could not answer between on block_and_voter (reqlite does not when some vote lacks the indexed fields)";
                    break;
                }
                fromIndex.AddRange(rows);
                read += rows.Count;
                progress.Report(new BundleReadProgress(BundleLayout.VotesTable, read, null));
            }
        }
        if (scanBecause is null)
        {
            _reads.Add($"{BundleLayout.VotesTable}: index block_and_voter for {blockIds.Count} blocks");
            foreach (var row in fromIndex)
                yield return BundleDocument.Of(RecordKind.Vote, row);
            yield break;
        }
        _reads.Add($"{BundleLayout.VotesTable}: scanned whole: {scanBecause}");
        await foreach (var row in ScanAsync(Votes, BundleLayout.VotesTable, progress, ct))
            yield return BundleDocument.Of(RecordKind.Vote, row);
    }

    private async IAsyncEnumerable<JsonElement> ScanAsync(Term table, string name, IProgress<BundleReadProgress> progress, [EnumeratorCancellation] CancellationToken ct)
    {
        var c = await OpenAsync(ct);
        var info = await Run(() => table.Info().RunAtomAsync(c, SourceTableInfo.Raw, ct));
        long? expected = info.TryGetProperty("doc_count_estimates", out var counts) && counts.ValueKind == JsonValueKind.Array
            ? counts.EnumerateArray().Where(n => n.ValueKind == JsonValueKind.Number).Sum(n => n.GetInt64())
            : null;
        JsonElement? lastKey = null;
        long read = 0;
        while (true)
        {
            var page = await Run(() => All(PrimaryKeyPage.After(table, "id", lastKey, pageSize), ct));
            foreach (var row in page)
            {
                progress.Report(new BundleReadProgress(name, ++read, expected));
                yield return row;
            }
            if (page.Count < pageSize)
                yield break;
            lastKey = page[^1].GetProperty("id").Clone();
        }
    }

    /// <summary>Every document the query streams.</summary>
    private async Task<List<JsonElement>> All(ReqlAst query, CancellationToken ct)
    {
        var c = await OpenAsync(ct);
        var rows = new List<JsonElement>();
        await using var cursor = await query.RunCursorAsync(c, SourceTableInfo.Raw, ct);
        await foreach (var row in cursor.WithCancellation(ct))
            rows.Add(row.Clone());
        return rows;
    }

    /// <summary>
    /// The answer of a query whose result fits in one batch, or null when the server gave a null atom instead of a
    /// sequence (reqlite answers between on an index so when some document lacks the indexed field).
    /// </summary>
    private async Task<List<JsonElement>?> SmallOrNull(ReqlAst query, CancellationToken ct)
    {
        var c = await OpenAsync(ct);
        var answer = await query.RunAtomAsync(c, SourceTableInfo.Raw, ct);
        return answer.ValueKind switch
        {
            JsonValueKind.Array => [.. answer.EnumerateArray().Select(e => e.Clone())],
            JsonValueKind.Null => null,
            _ => throw new BundleSourceException($"{Description}: expected a sequence of documents, got {answer.ValueKind}"),
        };
    }

    private async Task<Connection> OpenAsync(CancellationToken ct)
    {
        if (_connection is not null)
            return _connection;
        _connection = await Run(() => Connection.ConnectAsync(connection, ct));
        var tables = await Run(() => R.Db(db).TableList().RunAtomAsync(_connection, ct));
        var names = tables.EnumerateArray().Select(t => t.GetString()).ToHashSet(StringComparer.Ordinal);
        foreach (var table in new[] { BundleLayout.BlocksTable, BundleLayout.VotesTable }.Where(t => !names.Contains(t)))
            throw new BundleSourceException($"{Description}: no table {db}.{table}: not a BigchainDB database");
        _blockIndexes = await IndexesAsync(Blocks, ct);
        _voteIndexes = await IndexesAsync(Votes, ct);
        return _connection;
    }

    private async Task<HashSet<string>> IndexesAsync(Term table, CancellationToken ct)
    {
        var list = await Run(() => table.IndexList().RunAtomAsync(_connection!, ct));
        return list.EnumerateArray().Where(i => i.ValueKind == JsonValueKind.String).Select(i => i.GetString()!).ToHashSet(StringComparer.Ordinal);
    }

    private async Task<T> Run<T>(Func<Task<T>> work)
    {
        try
        {
            return await work();
        }
        catch (ReqlConnectionError e)
        {
            throw new BundleSourceException($"cannot reach {connection.Host}:{connection.Port}: {e.Message}", e);
        }
        catch (ReqlError e)
        {
            throw new BundleSourceException($"{Description}: {e.Message.Split('\n')[0]}", e);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_connection is not null)
            await _connection.DisposeAsync();
    }
}
