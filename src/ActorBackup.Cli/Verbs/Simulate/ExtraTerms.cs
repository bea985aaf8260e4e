using ActorBackup.ReQL.Ast;

namespace ActorBackup.Cli.Verbs.Simulate;

/// <summary>
/// ReQL commands the driver's builder does not offer yet (concat_map, with_fields, json), written as raw terms
/// from their ql2.proto numbers so that the schema and the writes are exactly BigchainDB's.
/// </summary>
internal static class ExtraTerms
{
    public static ReqlExpr ConcatMap(ReqlExpr sequence, Func<ReqlExpr, ReqlExpr> function)
    {
        // MAP has the same argument shape, [sequence, function]: let the builder make the function term.
        var map = sequence.Map(function);
        return Raw(TermType.ConcatMap, map.Args);
    }

    public static ReqlExpr WithFields(ReqlExpr sequence, params string[] fields) =>
        Raw(TermType.WithFields, [sequence, .. fields.Select(f => R.Expr(f))]);

    /// <summary><c>r.json(text)</c>: the server parses the text, as BigchainDB's block writes did.</summary>
    public static ReqlExpr Json(string text) => Raw(TermType.Json, [R.Expr(text)]);

    private static ReqlExpr Raw(TermType type, IEnumerable<ReqlAst> args) =>
        R.Expr(new RawTerm($"[{(int)type},[{string.Join(",", args.Select(a => a.ToWireJson()))}]]"));
}
