using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using ActorBackup.Admin.Contract;
using ActorBackup.Cluster.Settings;
using ActorBackup.Cluster.Sharding;
using ActorBackup.Cluster.Sources;
using ActorBackup.Ledger.Documents;
using ActorBackup.ReQL.Errors;
using ActorBackup.ReQL.Net;

namespace ActorBackup.Cluster.Capture.Sources;

/// <summary>
/// One catch-up read of a table through the source's indexes, shared by the attempts of a node's replicas that asked
/// for it within the join window (<see cref="CatchUpReads"/>): blocks through <c>block_timestamp</c>, votes through the
/// blocks they vote for (<c>block_timestamp</c>, then <c>block_and_voter</c> with one key per block and federation
/// voter, <see cref="BlocksPerVoteQuery"/> blocks a query). It reads from the earliest of their scan points, the server
/// keeping the keys of their ranges, and hands each attempt the documents of its own range at or after its own scan
/// point, which are exactly those its own read would have selected. So a node sends the source one index read and the
/// votes' keys once per table, instead of once per replica.
/// <para>
/// Every member's changefeed was subscribed before it joined, and the read sends its first query only once no member
/// can join any more: every member's feed is open before the read starts, which is what makes feed and scan together
/// miss nothing. A source without the indexes, or whose server fails the index read, gets each member a
/// <see cref="CatchUpFallback"/>: it reads its own key range, as it would have alone. Any other failure fails every
/// member that is still there, which then restarts with backoff. A member that takes no row for
/// <see cref="CaptureSettings.CatchUpStallTimeout"/> is dropped and fails alone (<see cref="CatchUpMember"/>).
/// </para>
/// </summary>
internal sealed class SharedCatchUp(BackupSettings settings, SourceSession session, string table, IReadOnlyCollection<string> voters,
    IReadOnlyList<CatchUpMember> members)
{
    /// <summary>
    /// Blocks whose votes one query asks for: with a key per block and voter, a query stays far below RethinkDB's
    /// 100,000-element array limit and its answer below a batch or two.
    /// </summary>
    public const int BlocksPerVoteQuery = 200;

    /// <summary>Reads, routes and ends every member's rows; never throws (a failure is handed to the members).</summary>
    public async Task RunAsync()
    {
        try
        {
            if (members.All(m => m.HasLeft)) return;
            await using var lease = await session.AcquireAsync(CancellationToken.None);
            if (await ReadThroughIndexesAsync(lease) is { } fallback)
            {
                foreach (var member in members)
                    await member.OfferAsync(fallback, settings.Capture.CatchUpStallTimeout);
            }
            foreach (var member in members)
                member.Complete();
        }
        catch (Exception e)
        {
            foreach (var member in members)
                member.Complete(e);
        }
    }

    /// <summary>Reads through the indexes; the fallback every member takes instead, or null when the read completed.</summary>
    private async Task<CatchUpFallback?> ReadThroughIndexesAsync(SourceLease lease)
    {
        try
        {
            if (await MissingIndexAsync(lease) is { } missing)
                return new CatchUpFallback($"{session.Endpoint} has no {missing.Index} index on {settings.Database}.{missing.Table}");
            var ranges = KeyRanges(members.Select(m => m.Range));
            var from = members.Min(m => m.From);
            if (RecordKinds.Of(table) == RecordKind.Block)
            {
                await using var blocks = await ScanQuery.TimestampIndexScan(settings.Database, table, ranges, from).RunCursorAsync(lease.Connection);
                await RouteAsync(blocks);
            }
            else
            {
                await VotesThroughBlocksAsync(lease, ranges, from);
            }
            return null;
        }
        catch (ReqlError e) when (e is not ReqlConnectionError)
        {
            return new CatchUpFallback(IndexScanFailed(e));
        }
    }

    /// <summary>
    /// The votes of the members' ranges cast at or after <paramref name="from"/>, read through the blocks they vote for:
    /// the ids of the blocks stamped since <paramref name="from"/> minus <see cref="BackupSettings.CatchUpVoteDelay"/>, and
    /// for every <see cref="BlocksPerVoteQuery"/> of them the federation's nodes' votes on them. A vote signed by no
    /// federation node, which verification would reject anyway, is not read here: reconciliation finds it.
    /// </summary>
    private async Task VotesThroughBlocksAsync(SourceLease lease, IReadOnlyList<(string? Lower, string? Upper)> ranges, Watermark from)
    {
        var blocksFrom = ScanQuery.BlocksFrom(table, from, settings.CatchUpVoteDelay);
        await using var blocks = await ScanQuery.BlockIdsSince(settings.Database, blocksFrom).RunCursorAsync(lease.Connection);
        var chunk = new List<string>(BlocksPerVoteQuery);
        await foreach (var id in blocks)
        {
            // A block id that is not a string is no BigchainDB block; votes on it reach quarantine through reconciliation.
            if (id.ValueKind == JsonValueKind.String) chunk.Add(id.GetString()!);
            if (chunk.Count < BlocksPerVoteQuery) continue;
            if (!await VotesOnAsync(chunk)) return;
            chunk.Clear();
        }
        if (chunk.Count > 0) await VotesOnAsync(chunk);

        async Task<bool> VotesOnAsync(IReadOnlyCollection<string> on)
        {
            await using var votes = await ScanQuery.VotesOn(settings.Database, table, ranges, from, on, voters).RunCursorAsync(lease.Connection);
            return await RouteAsync(votes);
        }
    }

    /// <summary>Hands each document to the members that want it; false when every member has left (the read stops).</summary>
    private async Task<bool> RouteAsync(Cursor documents)
    {
        var parent = RecordKinds.TimestampParent(table);
        await foreach (var document in documents)
        {
            var key = document.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String ? id.GetString() : null;
            var timestamp = TimestampOrNull(document, parent);
            CatchUpDocument? row = null;
            foreach (var member in members)
            {
                if (member.HasLeft || !member.Wants(key, timestamp)) continue;
                // The element's own bytes as the server sent them, so every number and string token stays exact.
                row ??= new CatchUpDocument(JsonMarshal.GetRawUtf8Value(document).ToArray());
                await member.OfferAsync(row, settings.Capture.CatchUpStallTimeout);
            }
            if (members.All(m => m.HasLeft)) return false;
        }
        return true;
    }

    /// <summary>
    /// The document's timestamp as a number where the server's <c>coerce_to('number')</c> reads the same one, or null
    /// when it is missing or in any other form: such a document is handed to every member of its range, as each member's
    /// own read would have selected it (its filter defaults to true) when the server could not read it. An extra
    /// document is harmless (the journal drops what it holds); a missing one is not.
    /// </summary>
    private static double? TimestampOrNull(JsonElement document, string parent)
    {
        if (document.ValueKind != JsonValueKind.Object || !document.TryGetProperty(parent, out var holder) ||
            holder.ValueKind != JsonValueKind.Object || !holder.TryGetProperty("timestamp", out var timestamp))
            return null;
        double seconds;
        if (timestamp.ValueKind == JsonValueKind.Number) seconds = timestamp.GetDouble();
        else if (timestamp.ValueKind != JsonValueKind.String ||
                 !double.TryParse(timestamp.GetString(), NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent,
                     CultureInfo.InvariantCulture, out seconds))
            return null;
        return double.IsFinite(seconds) ? seconds : null;
    }

    /// <summary>The first index the catch-up of the table needs that the source lacks, or null when it has them all.</summary>
    private async Task<(string Table, string Index)?> MissingIndexAsync(SourceLease lease)
    {
        foreach (var onTable in ScanQuery.CatchUpIndexes(table).GroupBy(i => i.Table))
        {
            var indexes = await ScanQuery.IndexList(settings.Database, onTable.Key).RunAtomAsync(lease.Connection);
            var present = indexes.EnumerateArray().Where(i => i.ValueKind == JsonValueKind.String).Select(i => i.GetString()).ToHashSet();
            foreach (var needed in onTable)
                if (!present.Contains(needed.Index)) return needed;
        }
        return null;
    }

    private string IndexScanFailed(ReqlError e)
    {
        var indexes = ScanQuery.CatchUpIndexes(table).Select(i => i.Index).ToArray();
        var named = indexes.Length == 1 ? $"the {indexes[0]} index" : $"the {string.Join(" and ", indexes)} indexes";
        return $"reading {named} on {session.Endpoint} failed: {e.GetType().Name}: {e.Message}";
    }

    /// <summary>The members' key ranges with adjacent or overlapping ones merged: the server's filter tests each.</summary>
    internal static IReadOnlyList<(string? Lower, string? Upper)> KeyRanges(IEnumerable<ShardRange> ranges)
    {
        var merged = new List<(string? Lower, string? Upper)>();
        foreach (var range in ranges.OrderBy(r => r.Lower, Comparer<string?>.Create(string.CompareOrdinal)))
        {
            if (merged.Count > 0 && (merged[^1].Upper is not { } upper || range.Lower is null || KeyOrder.Compare(range.Lower, upper) <= 0))
            {
                var last = merged[^1];
                var reaches = last.Upper is null || range.Upper is null ? null
                    : KeyOrder.Compare(range.Upper, last.Upper) > 0 ? range.Upper : last.Upper;
                merged[^1] = (last.Lower, reaches);
            }
            else
            {
                merged.Add((range.Lower, range.Upper));
            }
        }
        return merged;
    }
}
