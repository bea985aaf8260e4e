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
    public static ReqlAst Scan(string database, string table, string? lower, string? upper, Watermark from)
    {
        var range = Range(database, table, lower, upper);
        if (from.IsNone) return range;
        return range.Filter(doc => AtOrAfter(doc, table, from));
    }

    /// <summary>
    /// True when a catch-up from <paramref name="from"/> may read <paramref name="table"/> through
    /// <see cref="LedgerTables.BlockTimestampIndex"/>: only blocks have it, a full scan reads everything anyway, and the index orders
    /// timestamps as text, which is their numeric order only among strings of as many digits as <paramref name="from"/>.
    /// Every timestamp from <paramref name="from"/> up to <paramref name="sourceNow"/> must have that many digits.
    /// </summary>
    public static bool CanUseTimestampIndex(string table, Watermark from, long sourceNow) =>
        RecordKinds.Of(table) == RecordKind.Block && !from.IsNone && from.Seconds > 0 && Digits(Math.Max(from.Seconds, sourceNow)) == Digits(from.Seconds);

    /// <summary>The secondary indexes of the table.</summary>
    public static Term IndexList(string database, string table) => R.Db(database).Table(table).IndexList();

    /// <summary>
    /// The blocks of the range whose timestamp is at or after <paramref name="from"/>, read through
    /// <see cref="LedgerTables.BlockTimestampIndex"/> in timestamp order: the server reads only blocks whose timestamp sorts at or
    /// after <paramref name="from"/> as text, and keeps those of the shard's key range. As text, every timestamp with
    /// as many digits as <paramref name="from"/> and not below it is selected (see <see cref="CanUseTimestampIndex"/>);
    /// a shorter one that sorts after it is dropped by the same numeric comparison as <see cref="Scan"/>, and a
    /// non-numeric one (which sorts after every number) is kept for quarantine. A block the index does not hold (no
    /// <c>block.timestamp</c>) is not selected.
    /// </summary>
    public static ReqlAst TimestampIndexScan(string database, string table, string? lower, string? upper, Watermark from)
    {
        if (RecordKinds.Of(table) != RecordKind.Block) throw new ArgumentException($"Only blocks have a timestamp index, not {table}.", nameof(table));
        if (from.IsNone) throw new ArgumentException("An index scan needs a point to start from.", nameof(from));
        var text = from.Seconds.ToString(CultureInfo.InvariantCulture);
        return R.Db(database).Table(table)
            .Between(text, R.Maxval())[new { index = LedgerTables.BlockTimestampIndex }]
            .OrderBy()[new { index = LedgerTables.BlockTimestampIndex }]
            .Filter(doc => InKeyRange(doc["id"], lower, upper).And(AtOrAfter(doc, table, from)));
    }

    /// <summary>The document's timestamp compared as a number, true when it is missing or unreadable.</summary>
    private static Term AtOrAfter(ReqlExpr doc, string table, Watermark from) =>
        doc[RecordKinds.TimestampParent(table)]["timestamp"].CoerceTo("number").Ge(from.Seconds).Default(true);

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
