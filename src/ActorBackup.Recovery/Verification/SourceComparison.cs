using ActorBackup.Recovery.Restore;
using ActorBackup.ReQL.Net;

namespace ActorBackup.Recovery.Verification;

/// <summary>
/// Compares a restored database with the live source: per table, the source's documents with timestamp at most T
/// (the same selection a restore at T makes) against what the restored table holds, by count and digest.
/// </summary>
public static class SourceComparison
{
    public static async Task<TableVerification> CompareAsync(IConnection source, string sourceDb, IConnection restored, string restoredDb,
        string table, long at, CancellationToken ct)
    {
        var keep = new PointInTimeFilter(at);
        var (count, digest) = await TableVerifier.DigestAsync(source, sourceDb, table, document => keep.Keeps(table, document), ct);
        return await TableVerifier.VerifyAsync(restored, restoredDb, table, count, digest, ct);
    }
}
