namespace ActorBackup.ReQL.Ast;

/// <summary>
/// A chainable ReQL expression. Methods are the ReQL commands in PascalCase (<c>get_all</c> → <see cref="GetAll"/>),
/// take C# values, terms or lambdas as arguments and return a new <see cref="Term"/>; nothing is mutated.
/// The commands are grouped by family in the partial files beside this one.
/// </summary>
public abstract partial class ReqlExpr : ReqlAst
{
    private protected Term Make(TermType type, params object?[] rest) =>
        new(type, ExprConverter.ToArgs(this, rest), OptArgs.Empty);

    /// <summary><c>doc["field"]</c>: BRACKET, the field of an object (or the field of each object of a sequence).</summary>
    public Term this[string field] => Make(TermType.Bracket, field);

    /// <summary><c>seq[2]</c>: BRACKET with a number, the nth element.</summary>
    public Term this[long index] => Make(TermType.Bracket, index);

    /// <summary>BRACKET with a computed field name or index.</summary>
    public Term this[ReqlExpr fieldOrIndex] => Make(TermType.Bracket, fieldOrIndex);

    public Term Bracket(object? fieldOrIndex) => Make(TermType.Bracket, fieldOrIndex);

    public Term GetField(object? field) => Make(TermType.GetField, field);

    /// <summary>FUNCALL: <c>expr.Do(x => …)</c> is sent function first, <c>[64,[func, expr]]</c>.</summary>
    public Term Do(Func<ReqlExpr, ReqlExpr> function) =>
        new(TermType.Funcall, [ReqlFunction.From(function), this], OptArgs.Empty);

    public Term Default(object? value) => Make(TermType.Default, value);

    public Term Default(Func<ReqlExpr, ReqlExpr> onError) => Make(TermType.Default, onError);

    public Term CoerceTo(string type) => Make(TermType.CoerceTo, type);

    public Term TypeOf() => Make(TermType.TypeOf);

    public Term Keys() => Make(TermType.Keys);

    public Term Info() => Make(TermType.Info);

    public Term ToEpochTime() => Make(TermType.ToEpochTime);

    public Term ToIso8601() => Make(TermType.ToIso8601);
}
