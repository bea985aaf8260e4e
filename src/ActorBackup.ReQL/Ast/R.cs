namespace ActorBackup.ReQL.Ast;

/// <summary>
/// The entry point of the query builder, as <c>r</c> in the official drivers:
/// <c>R.Db("bigchain").Table("votes").Between(lo, hi)[new { index = "block_timestamp" }].Changes()</c>.
/// </summary>
public static class R
{
    private static Term Make(TermType type, params object?[] args) => new(type, ExprConverter.ToArgs(args), OptArgs.Empty);

    /// <summary>
    /// Any C# value as a term: strings, booleans, null and finite numbers as themselves; DateTime/DateTimeOffset as
    /// TIME; byte[]/ReadOnlyMemory&lt;byte&gt; as BINARY; JsonElement/JsonDocument/JsonNode with number tokens kept
    /// verbatim; dictionaries, anonymous objects and POCOs as objects; other collections as arrays; lambdas as functions.
    /// </summary>
    public static ReqlExpr Expr(object? value) => ExprConverter.ToExpr(value);

    /// <summary>An array literal, <c>[2,[…]]</c>: e.g. the key of a compound index, <c>d => R.Array(d["a"], d["b"])</c>.</summary>
    public static Term Array(params object?[] items) => Make(TermType.MakeArray, items);

    public static Term Db(string name) => Make(TermType.Db, name);

    public static Term DbCreate(string name) => Make(TermType.DbCreate, name);

    public static Term DbDrop(string name) => Make(TermType.DbDrop, name);

    public static Term DbList() => Make(TermType.DbList);

    /// <summary>A table of the connection's default database.</summary>
    public static Term Table(string name) => Make(TermType.Table, name);

    public static Term TableCreate(string name) => Make(TermType.TableCreate, name);

    public static Term TableDrop(string name) => Make(TermType.TableDrop, name);

    public static Term TableList() => Make(TermType.TableList);

    /// <summary>ARGS: splices an array (possibly computed) into the arguments of the enclosing command.</summary>
    public static Term Args(object? array) => Make(TermType.Args, array);

    /// <summary>BRANCH(test, then, [test2, then2, …] otherwise).</summary>
    public static Term Branch(object? test, object? then, object? otherwise, params object?[] more)
    {
        if (more.Length % 2 != 0)
            throw new ArgumentException($"Branch takes test/value pairs followed by one else value; got {3 + more.Length} arguments.", nameof(more));
        return Make(TermType.Branch, [test, then, otherwise, .. more]);
    }

    /// <summary>FUNCALL, sent function first: <c>[64,[func, arg]]</c>.</summary>
    public static Term Do(object? arg, Func<ReqlExpr, ReqlExpr> function) => Make(TermType.Funcall, function, arg);

    public static Term Do(object? arg1, object? arg2, Func<ReqlExpr, ReqlExpr, ReqlExpr> function) =>
        Make(TermType.Funcall, function, arg1, arg2);

    public static Term Error(string message) => Make(TermType.Error, message);

    /// <summary>ERROR without a message: rethrows the error caught by an enclosing <c>default</c>.</summary>
    public static Term Error() => Make(TermType.Error);

    public static Term Now() => Make(TermType.Now);

    public static Term EpochTime(object? seconds) => Make(TermType.EpochTime, seconds);

    /// <summary>ISO8601 parsing; optarg default_timezone for strings without an offset.</summary>
    public static Term Iso8601(object? text) => Make(TermType.Iso8601, text);

    /// <summary>JSON: the server parses the text, so the stored document keeps the text's exact number tokens.</summary>
    public static Term Json(string text) => Make(TermType.Json, text);

    public static Term Uuid() => Make(TermType.Uuid);

    /// <summary>UUID v5 derived from a string, the same on every server.</summary>
    public static Term Uuid(object? name) => Make(TermType.Uuid, name);

    public static Term Range() => Make(TermType.Range);

    public static Term Range(object? end) => Make(TermType.Range, end);

    public static Term Range(object? start, object? end) => Make(TermType.Range, start, end);

    /// <summary>The BINARY pseudo-type for bytes.</summary>
    public static ReqlExpr Binary(ReadOnlyMemory<byte> data) => new BinaryDatum(data);

    /// <summary>The BINARY term, converting a computed string or binary value on the server.</summary>
    public static Term Binary(ReqlExpr data) => Make(TermType.Binary, data);

    public static Term Asc(object? field) => Make(TermType.Asc, field);

    public static Term Asc(Func<ReqlExpr, ReqlExpr> key) => Make(TermType.Asc, key);

    public static Term Desc(object? field) => Make(TermType.Desc, field);

    public static Term Desc(Func<ReqlExpr, ReqlExpr> key) => Make(TermType.Desc, key);

    /// <summary>The smallest value of all, for an open lower end of <see cref="ReqlExpr.Between"/>.</summary>
    public static Term Minval() => Make(TermType.Minval);

    /// <summary>The largest value of all, for an open upper end of <see cref="ReqlExpr.Between"/>.</summary>
    public static Term Maxval() => Make(TermType.Maxval);

    public static Term And(params object?[] values) => Make(TermType.And, values);

    public static Term Or(params object?[] values) => Make(TermType.Or, values);

    public static Term Not(object? value) => Make(TermType.Not, value);
}
