using System.Globalization;
using ActorBackup.Admin.Contract;
using ActorBackup.Ledger.Documents;
using ActorBackup.ReQL.Ast;

namespace ActorBackup.Cluster.Capture.Sources;

/// <summary>The ReQL of one attempt: the range, its changefeed, and its catch-up scan.</summary>
public static class ScanQuery
{
    /// <summary>The shard's range on the primary key; between(...).changes() works on RethinkDB 2.4 and reqlite.</summary>
    public static Term Range(string database, string table, string? lower, string? upper) =>
        R.Db(database).Table(table).Between(lower is null ? R.Minval() : lower, upper is null ? R.Maxval() : upper);

    /// <summary>
    /// The documents of the range whose own timestamp is at or after <paramref name="from"/>, read through the whole
    /// key range of the shard. Timestamps are strings of Unix seconds, compared as numbers; a document whose timestamp
    /// is missing or unreadable is selected too (default true), so that it reaches quarantine instead of failing the scan.
    /// </summary>
    public static Term Scan(string database, string table, string? lower, string? upper, Watermark from)
    {
        var range = Range(database, table, lower, upper);
        if (from.IsNone) return range;
        return range.Filter(doc => AtOrAfter(doc, table, from));
    }

    /// <summary>
    /// Where a catch-up of <paramref name="table"/> from <paramref name="from"/> starts reading the blocks'
    /// <see cref="LedgerTables.BlockTimestampIndex"/>: at <paramref name="from"/> for blocks; for votes, which are read
    /// through the blocks they vote for and cast after them, <paramref name="voteDelay"/> earlier.
    /// </summary>
    public static Watermark BlocksFrom(string table, Watermark from, TimeSpan voteDelay) =>
        RecordKinds.Of(table) == RecordKind.Block ? from : from.Minus(voteDelay);

    /// <summary>The secondary indexes, as (table, index), that a catch-up of <paramref name="table"/> reads through.</summary>
    public static IReadOnlyList<(string Table, string Index)> CatchUpIndexes(string table) =>
        RecordKinds.Of(table) == RecordKind.Block
            ? [(LedgerTables.BlocksTable, LedgerTables.BlockTimestampIndex)]
            : [(LedgerTables.BlocksTable, LedgerTables.BlockTimestampIndex), (table, LedgerTables.BlockAndVoterIndex)];

    /// <summary>
    /// True when a catch-up may read the blocks' <see cref="LedgerTables.BlockTimestampIndex"/> from
    /// <paramref name="blocksFrom"/> (see <see cref="BlocksFrom"/>): a full scan (no point) reads everything anyway, and
    /// the index orders timestamps as text, which is their numeric order only among strings of as many digits as
    /// <paramref name="blocksFrom"/>. Every timestamp from it up to <paramref name="sourceNow"/> must have that many digits.
    /// </summary>
    public static bool CanUseTimestampIndex(Watermark blocksFrom, long sourceNow) =>
        !blocksFrom.IsNone && blocksFrom.Seconds > 0 && Digits(Math.Max(blocksFrom.Seconds, sourceNow)) == Digits(blocksFrom.Seconds);

    /// <summary>The secondary indexes of the table.</summary>
    public static Term IndexList(string database, string table) => R.Db(database).Table(table).IndexList();

    /// <summary>
    /// The blocks of the range whose timestamp is at or after <paramref name="from"/>, read through
    /// <see cref="LedgerTables.BlockTimestampIndex"/> in timestamp order: the server reads only blocks whose timestamp sorts at or
    /// after <paramref name="from"/> as text, and keeps those of any of <paramref name="ranges"/> (each left closed, right
    /// open, null for minval or maxval: the replicas of a node catching up together share one read, <see cref="SharedCatchUp"/>).
    /// As text, every timestamp with
    /// as many digits as <paramref name="from"/> and not below it is selected (see <see cref="CanUseTimestampIndex"/>);
    /// a shorter one that sorts after it is dropped by the same numeric comparison as <see cref="Scan"/>, and a
    /// non-numeric one (which sorts after every number) is kept for quarantine. A block the index does not hold (no
    /// <c>block.timestamp</c>) is not selected.
    /// </summary>
    public static ReqlAst TimestampIndexScan(string database, string table, IReadOnlyList<(string? Lower, string? Upper)> ranges, Watermark from)
    {
        if (RecordKinds.Of(table) != RecordKind.Block) throw new ArgumentException($"Only blocks have a timestamp index, not {table}.", nameof(table));
        if (from.IsNone) throw new ArgumentException("An index scan needs a point to start from.", nameof(from));
        return BlocksSince(database, from)
            .OrderBy()[new { index = LedgerTables.BlockTimestampIndex }]
            .Filter(doc => InKeyRanges(doc["id"], ranges).And(AtOrAfter(doc, table, from)));
    }

    /// <summary>
    /// The ids of the blocks whose timestamp sorts at or after <paramref name="blocksFrom"/> as text (see
    /// <see cref="TimestampIndexScan"/>), through <see cref="LedgerTables.BlockTimestampIndex"/>: the blocks whose votes a
    /// catch-up of votes reads (<see cref="VotesOn"/>).
    /// </summary>
    public static ReqlAst BlockIdsSince(string database, Watermark blocksFrom)
    {
        if (blocksFrom.IsNone) throw new ArgumentException("An index scan needs a point to start from.", nameof(blocksFrom));
        return BlocksSince(database, blocksFrom).GetField("id");
    }

    /// <summary>
    /// The votes of the range whose timestamp is at or after <paramref name="from"/> cast by <paramref name="voters"/> on
    /// <paramref name="blockIds"/>, read through <see cref="LedgerTables.BlockAndVoterIndex"/> (one key per block and
    /// voter); the server keeps those of any of <paramref name="ranges"/> (the keys of a node's replicas catching up
    /// together, sent once) whose own timestamp, compared as a number, is at or after
    /// <paramref name="from"/> (or unreadable, for quarantine). The keys are sent rather than computed on the server
    /// (a <c>concat_map</c> of each block's <c>between</c> on the index): reqlite answers every such range with a pass over
    /// the votes table, which at 64 shards kept it busy past the probe timeout so that catch-ups restarted without end,
    /// while it answers a <c>get_all</c> of many keys with one pass.
    /// </summary>
    public static ReqlAst VotesOn(string database, string table, IReadOnlyList<(string? Lower, string? Upper)> ranges, Watermark from,
        IEnumerable<string> blockIds, IReadOnlyCollection<string> voters)
    {
        if (RecordKinds.Of(table) != RecordKind.Vote) throw new ArgumentException($"Only votes are read through their blocks, not {table}.", nameof(table));
        if (from.IsNone) throw new ArgumentException("An index scan needs a point to start from.", nameof(from));
        var keys = (from block in blockIds from voter in voters select (object?)R.Array(block, voter)).ToArray();
        if (keys.Length == 0) throw new ArgumentException("Votes are read for at least one block and one voter.", nameof(blockIds));
        return R.Db(database).Table(table).GetAll(keys)[new { index = LedgerTables.BlockAndVoterIndex }]
            .Filter(vote => InKeyRanges(vote["id"], ranges).And(AtOrAfter(vote, table, from)));
    }

    /// <summary>The blocks whose timestamp sorts at or after <paramref name="from"/> as text, through the index.</summary>
    private static Term BlocksSince(string database, Watermark from) =>
        R.Db(database).Table(LedgerTables.BlocksTable)
            .Between(from.Seconds.ToString(CultureInfo.InvariantCulture), R.Maxval())[new { index = LedgerTables.BlockTimestampIndex }];

    /// <summary>The document's timestamp compared as a number, true when it is missing or unreadable.</summary>
    private static Term AtOrAfter(ReqlExpr doc, string table, Watermark from) =>
        doc[RecordKinds.TimestampParent(table)]["timestamp"].CoerceTo("number").Ge(from.Seconds).Default(true);

    /// <summary>True when the key is in one of <paramref name="ranges"/>.</summary>
    private static ReqlExpr InKeyRanges(ReqlExpr id, IReadOnlyList<(string? Lower, string? Upper)> ranges)
    {
        if (ranges.Count == 0) throw new ArgumentException("A scan reads at least one key range.", nameof(ranges));
        var any = InKeyRange(id, ranges[0].Lower, ranges[0].Upper);
        for (var i = 1; i < ranges.Count; i++)
            any = any.Or(InKeyRange(id, ranges[i].Lower, ranges[i].Upper));
        return any;
    }

    /// <summary>The primary-key range of a shard as between() reads it: lower bound included, upper excluded.</summary>
    private static ReqlExpr InKeyRange(ReqlExpr id, string? lower, string? upper) =>
        (lower, upper) switch
        {
            (null, null) => R.Expr(true),
            (_, null) => id.Ge(lower),
            (null, _) => id.Lt(upper),
            _ => id.Ge(lower).And(id.Lt(upper)),
        };

    private static int Digits(long seconds) => seconds.ToString(CultureInfo.InvariantCulture).Length;
}
