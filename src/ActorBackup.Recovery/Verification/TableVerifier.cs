using System.Text.Json;
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
        var count = (await R.Db(db).Table(table).Count().RunAtomAsync(connection, ct)).GetInt64();
        var (read, digest) = await DigestAsync(connection, db, table, keep: null, ct);
        return new TableVerification($"{db}.{table}", expectedCount, count, read, expectedDigest, digest);
    }

    /// <summary>How many documents of the table <paramref name="keep"/> keeps (all when null), and their digest.</summary>
    internal static async Task<(long Count, TableDigest Digest)> DigestAsync(IConnection connection, string db, string table,
        Func<JsonElement, bool>? keep, CancellationToken ct)
    {
        var digest = TableDigest.Empty;
        long count = 0;
        await using var cursor = await R.Db(db).Table(table).RunCursorAsync(connection, Raw, ct);
        await foreach (var document in cursor.WithCancellation(ct))
        {
            if (keep is not null && !keep(document)) continue;
            digest += TableDigest.Of(document);
            count++;
        }
        return (count, digest);
    }
}
