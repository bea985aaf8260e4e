using System.Runtime.CompilerServices;
using System.Text.Json;
using ActorBackup.Ledger.Documents;
using ActorBackup.Ledger.Selection;
using ActorBackup.Recovery.Archive;
using ActorBackup.Recovery.FromCluster;

namespace ActorBackup.Recovery.Bundle.Sources;

/// <summary>
/// Reads a bundle from a backup cluster over its admin endpoints: every record each shard holds, streamed as NDJSON
/// (failing over between replicas like restore), filtered here. The admin API has no index by transaction or by
/// block, so both tables are read whole; <see cref="Reads"/> says so. Records the cluster quarantined are not served.
/// </summary>
public sealed class ClusterBundleSource(HttpClient http, string adminUrl, Action<string> warn) : IBundleSource
{
    private readonly List<string> _reads = [];
    private ClusterBackupSource? _cluster;

    public string Description => $"backup cluster {AdminClient.Normalize(adminUrl)}";

    public IReadOnlyList<string> Reads => _reads;

    public async Task<(TableInfo Blocks, TableInfo Votes)> TableInfosAsync(string db, CancellationToken ct)
    {
        var cluster = await ConnectAsync(ct);
        return (await cluster.TableInfoAsync(db, BundleLayout.BlocksTable, ct), await cluster.TableInfoAsync(db, BundleLayout.VotesTable, ct));
    }

    public IAsyncEnumerable<BundleDocument> BlocksAsync(TransactionSelection selection, IProgress<BundleReadProgress> progress, CancellationToken ct) =>
        ReadAsync(BundleLayout.BlocksTable, RecordKind.Block, progress, ct);

    public IAsyncEnumerable<BundleDocument> VotesAsync(IReadOnlyCollection<string> blockIds, IProgress<BundleReadProgress> progress, CancellationToken ct) =>
        ReadAsync(BundleLayout.VotesTable, RecordKind.Vote, progress, ct);

    private async IAsyncEnumerable<BundleDocument> ReadAsync(string table, RecordKind kind, IProgress<BundleReadProgress> progress, [EnumeratorCancellation] CancellationToken ct)
    {
        var cluster = await ConnectAsync(ct);
        var shards = cluster.Status.Shards.Where(s => s.Table == table).OrderBy(s => s.Shard).ToList();
        if (shards.Count == 0)
        {
            var held = cluster.Status.Shards.Select(s => s.Table).Distinct().ToList();
            throw new BundleSourceException($"{Description}: the cluster backs up no {table} table (it holds "
                                            + (held.Count == 0 ? "none yet)" : $"{string.Join(", ", held)})"));
        }
        _reads.Add($"{table}: every shard read whole ({shards.Count} shards; the admin API has no index by transaction or block)");
        var expected = shards.Sum(s => s.Replicas.Where(r => r.Reachable).Select(r => r.Records).DefaultIfEmpty(0).Max());
        long read = 0;
        foreach (var shard in shards)
        {
            var lines = cluster.ShardRecords(shard, null, ct).GetAsyncEnumerator(ct);
            try
            {
                while (await Next(lines))
                {
                    progress.Report(new BundleReadProgress(table, ++read, expected));
                    using var document = JsonDocument.Parse(lines.Current);
                    yield return BundleDocument.Of(kind, document.RootElement);
                }
            }
            finally
            {
                await lines.DisposeAsync();
            }
        }
    }

    private async Task<bool> Next(IAsyncEnumerator<byte[]> lines)
    {
        try
        {
            return await lines.MoveNextAsync();
        }
        catch (BackupClusterException e)
        {
            throw new BundleSourceException(e.Message, e);
        }
    }

    private async Task<ClusterBackupSource> ConnectAsync(CancellationToken ct)
    {
        try
        {
            return _cluster ??= await ClusterBackupSource.ConnectAsync(http, adminUrl, warn, ct);
        }
        catch (BackupClusterException e)
        {
            throw new BundleSourceException(e.Message, e);
        }
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
