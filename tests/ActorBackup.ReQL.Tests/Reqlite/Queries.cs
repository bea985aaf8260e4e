using System.Text.Json;
using ActorBackup.ReQL.Ast;

namespace ActorBackup.ReQL.Tests.Reqlite;

/// <summary>The few queries these tests need, written as wire JSON (TermType numbers from ql2.proto).</summary>
internal static class Queries
{
    public static string Quote(string s) => JsonSerializer.Serialize(s);

    public static string Db(string db) => $"[14,[{Quote(db)}]]";

    public static string Table(string db, string table) => $"[15,[{Db(db)},{Quote(table)}]]";

    public static RawTerm DbCreate(string db) => new($"[57,[{Quote(db)}]]");

    public static RawTerm TableCreate(string db, string table) => new($"[60,[{Db(db)},{Quote(table)}]]");

    public static RawTerm TableList(string db) => new($"[62,[{Db(db)}]]");

    public static RawTerm IndexCreate(string db, string table, string field) => new($"[75,[{Table(db, table)},{Quote(field)}]]");

    public static RawTerm IndexWait(string db, string table) => new($"[140,[{Table(db, table)}]]");

    public static RawTerm Insert(string db, string table, IEnumerable<string> documents) =>
        new($"[56,[{Table(db, table)},[2,[{string.Join(',', documents)}]]]]");

    public static RawTerm ReadAll(string db, string table) => new(Table(db, table));

    public static RawTerm Count(string db, string table) => new($"[43,[{Table(db, table)}]]");

    public static RawTerm Get(string db, string table, string keyJson) => new($"[16,[{Table(db, table)},{keyJson}]]");

    /// <summary>between(lo, hi) on the primary key; the bounds are JSON datums, options e.g. {"left_bound":"open"}.</summary>
    public static string Between(string db, string table, string lo, string hi, string options = "{}") =>
        $"[182,[{Table(db, table)},{lo},{hi}],{options}]";

    public static RawTerm Changes(string term) => new($"[152,[{term}]]");

    /// <summary>r.range(): the one non-feed stream reqlite answers in partial batches (40 numbers each).</summary>
    public static readonly RawTerm InfiniteRange = new("[173,[]]");
}
