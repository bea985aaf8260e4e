using ActorBackup.Recovery.Restore;
using ActorBackup.ReQL.Ast;
using ActorBackup.ReQL.Net;

namespace ActorBackup.Recovery.Verification;

/// <summary>
/// Compares a restored database with the live source: per table, the source's documents with timestamp at most T
/// (the same selection a restore at T makes) against what the restored table holds, by count and digest.
/// </summary>
public static class SourceComparison
{
    private static readonly RunOptions Raw = new() { TimeFormat = "raw", BinaryFormat = "raw" };

    public static async Task<TableVerification> CompareAsync(IConnection source, string sourceDb, IConnection restored, string restoredDb,
        string table, long at, CancellationToken ct)
    {
        var keep = new PointInTimeFilter(at);
        var digest = TableDigest.Empty;
        long count = 0;
        await using (var cursor = await R.Db(sourceDb).Table(table).RunCursorAsync(source, Raw, ct))
        {
            await foreach (var document in cursor.WithCancellation(ct))
            {
                if (!keep.Keeps(table, document)) continue;
                digest += TableDigest.Of(document);
                count++;
            }
        }
        return await TableVerifier.VerifyAsync(restored, restoredDb, table, count, digest, ct);
    }
}
