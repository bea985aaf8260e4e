using System.Runtime.InteropServices;
using System.Text.Json;
using ActorBackup.Ledger.Documents;

namespace ActorBackup.Recovery.Restore;

/// <summary>
/// Keeps the ledger as it was at a point in time: blocks (<c>bigchain</c>) with <c>block.timestamp</c> ≤ T, votes
/// with <c>vote.timestamp</c> ≤ T, every row of any other table. A block or vote whose timestamp cannot be read
/// cannot be placed in time, so it stops the restore rather than being silently kept or dropped.
/// </summary>
public sealed class PointInTimeFilter(long unixSeconds)
{
    public long UnixSeconds { get; } = unixSeconds;

    public bool Keeps(string table, JsonElement document)
    {
        if (LedgerTables.KindOf(table) is not { } k)
            return true;
        if (!LedgerReader.TryRead(JsonMarshal.GetRawUtf8Value(document), k, out var record, out var failure))
            throw new InvalidDataException($"a {(k == RecordKind.Block ? "block" : "vote")} whose timestamp cannot be read ({failure.Message})");
        var timestamp = record switch
        {
            Block block => block.Timestamp,
            Vote vote => vote.Timestamp,
            _ => throw new InvalidOperationException($"LedgerReader returned a {record?.GetType().Name} for a {k}."),
        };
        return timestamp <= UnixSeconds;
    }
}
