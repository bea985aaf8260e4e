using System.Text.Json;
using ActorBackup.ReQL.Ast;
using ActorBackup.ReQL.Errors;
using ActorBackup.ReQL.Net;

namespace ActorBackup.Recovery.Archive;

/// <summary>A table's <c>.info</c> content read from a live source the way <c>rethinkdb dump</c> reads it.</summary>
public static class SourceTableInfo
{
    // Raw so that TIME and BINARY values stay the $reql_type$ objects the Python tool stores.
    public static readonly RunOptions Raw = new() { TimeFormat = "raw", BinaryFormat = "raw" };

    /// <summary>
    /// <c>info()</c>, <c>index_status()</c> and the write hook of <paramref name="db"/>.<paramref name="table"/>, and the
    /// server's estimate of its document count (null when it gives none). A malformed answer is a <see cref="FormatException"/>.
    /// </summary>
    public static async Task<(TableInfo Info, long? Estimate)> ReadAsync(IConnection connection, string db, string table, CancellationToken ct)
    {
        var term = R.Db(db).Table(table);
        var info = await term.Info().RunAtomAsync(connection, Raw, ct);
        var indexes = await term.IndexStatus().RunAtomAsync(connection, Raw, ct);
        JsonElement? hook;
        try
        {
            hook = await new RawTerm($"[{(int)TermType.GetWriteHook},[{term.ToWireJson()}]]").RunAtomAsync(connection, Raw, ct);
        }
        catch (ReqlError e) when (!e.IsTransient)
        {
            // Servers before 2.4 (and reqlite) have no write hooks; the Python tool then writes null too.
            hook = null;
        }
        long? estimate = info.TryGetProperty("doc_count_estimates", out var counts) && counts.ValueKind == JsonValueKind.Array
            ? counts.EnumerateArray().Where(c => c.ValueKind == JsonValueKind.Number).Sum(c => c.GetInt64())
            : null;
        return (TableInfo.FromSource(db, table, info, indexes, hook), estimate);
    }
}
