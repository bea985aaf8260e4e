using ActorBackup.Ledger.Audit;
using ActorBackup.Ledger.Documents;

namespace ActorBackup.Recovery.FromCluster;

/// <summary>One shard's record lines as the completeness audit takes them: <see cref="Kind"/> is what each line must be.</summary>
public sealed record AuditedShard(string ShardId, RecordKind Kind, IAsyncEnumerable<byte[]> Lines);

/// <summary>
/// The completeness audit of `verify` over record lines read from the backup, shard after shard in the order given
/// (verify gives every block shard before any vote shard). Each line is read into a record and handed to a
/// <see cref="LedgerAudit"/>, never kept, so memory is bounded by the audit's options and the shard reads' (see
/// <see cref="ClusterReadOptions"/>), not by the ledger.
/// </summary>
public static class BackupAudit
{
    /// <param name="problems">Receives a line for each record that cannot be read as its kind, in the order met.</param>
    public static async Task<AuditReport> RunAsync(IEnumerable<AuditedShard> shards, ICollection<string> problems,
        LedgerAuditOptions? options = null, CancellationToken ct = default)
    {
        using var audit = new LedgerAudit(options);
        foreach (var shard in shards)
        {
            await foreach (var line in shard.Lines.WithCancellation(ct))
            {
                if (LedgerReader.TryRead(line, shard.Kind, out var record, out var failure))
                    audit.Observe(record!);
                else
                    problems.Add($"{shard.ShardId}: a stored record cannot be read as a {shard.Kind}: {failure.Message}");
            }
        }
        return audit.Complete();
    }
}
