using ActorBackup.Admin.Contract;
using ActorBackup.ReQL.Ast;

namespace ActorBackup.Cluster.Capture.Sources;

/// <summary>The ReQL of one attempt: the range, its changefeed, and its catch-up scan.</summary>
public static class ScanQuery
{
    /// <summary>The shard's range on the primary key; between(...).changes() works on RethinkDB 2.4 and reqlite.</summary>
    public static Term Range(string database, string table, string? lower, string? upper) =>
        R.Db(database).Table(table).Between(lower is null ? R.Minval() : lower, upper is null ? R.Maxval() : upper);

    /// <summary>
    /// The documents of the range whose own timestamp is at or after <paramref name="from"/>. Timestamps are
    /// strings of Unix seconds, compared as numbers; a document whose timestamp is missing or unreadable is
    /// selected too (default true), so that it reaches quarantine instead of failing the scan.
    /// </summary>
    public static ReqlAst Scan(string database, string table, string? lower, string? upper, Watermark from)
    {
        var range = Range(database, table, lower, upper);
        if (from.IsNone) return range;
        var field = RecordKinds.TimestampParent(table);
        return range.Filter(doc => doc[field]["timestamp"].CoerceTo("number").Ge(from.Seconds).Default(true));
    }
}
