using ActorBackup.ReQL.Ast;
using ActorBackup.ReQL.Net;

namespace ActorBackup.Recovery.Verification;

/// <summary>Reads a table back from a server and compares its count and <see cref="TableDigest"/> with what is expected.</summary>
public static class TableVerifier
{
    // Raw, so TIME and BINARY values come back as the $reql_type$ objects a dump stores.
    private static readonly RunOptions Raw = new() { TimeFormat = "raw", BinaryFormat = "raw" };

    public static async Task<TableVerification> VerifyAsync(IConnection connection, string db, string table, long expectedCount,
        TableDigest expectedDigest, CancellationToken ct)
    {
        var target = R.Db(db).Table(table);
        var count = (await target.Count().RunAtomAsync(connection, ct)).GetInt64();
        var digest = TableDigest.Empty;
        long read = 0;
        await using (var cursor = await target.RunCursorAsync(connection, Raw, ct))
        {
            await foreach (var document in cursor.WithCancellation(ct))
            {
                digest += TableDigest.Of(document);
                read++;
            }
        }
        return new TableVerification($"{db}.{table}", expectedCount, count, read, expectedDigest, digest);
    }
}
