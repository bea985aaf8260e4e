namespace ActorBackup.ReQL.Ast;

/// <summary>
/// Turns a C# lambda into a ReQL function, <c>[69,[[2,[ids…]],body]]</c>, calling it once with VAR terms
/// <c>[10,[id]]</c> in place of its parameters.
/// </summary>
internal static class ReqlFunction
{
    // Ids only need to be unique within one query; a process-wide counter also keeps nested functions apart.
    private static long _lastId;

    public static Term From(Func<ReqlExpr, ReqlExpr> function)
    {
        var x = NewVar(out var idX);
        return Build(function(x), idX);
    }

    public static Term From(Func<ReqlExpr, ReqlExpr, ReqlExpr> function)
    {
        var x = NewVar(out var idX);
        var y = NewVar(out var idY);
        return Build(function(x, y), idX, idY);
    }

    private static Term NewVar(out Datum id)
    {
        id = new Datum(Interlocked.Increment(ref _lastId));
        return new Term(TermType.Var, [id], OptArgs.Empty);
    }

    private static Term Build(ReqlExpr? body, params Datum[] ids)
    {
        if (body is null)
            throw new ArgumentException("A ReQL function must return a term, not null; return R.Expr(null) for a null result.");
        return new Term(TermType.Func, [new Term(TermType.MakeArray, ids, OptArgs.Empty), body], OptArgs.Empty);
    }
}
