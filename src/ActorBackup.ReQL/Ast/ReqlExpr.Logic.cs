namespace ActorBackup.ReQL.Ast;

// Comparison, boolean logic and arithmetic; each takes one or more further operands like the ReQL variadics.
public abstract partial class ReqlExpr
{
    public Term Eq(params object?[] others) => Make(TermType.Eq, others);

    public Term Ne(params object?[] others) => Make(TermType.Ne, others);

    public Term Lt(params object?[] others) => Make(TermType.Lt, others);

    public Term Le(params object?[] others) => Make(TermType.Le, others);

    public Term Gt(params object?[] others) => Make(TermType.Gt, others);

    public Term Ge(params object?[] others) => Make(TermType.Ge, others);

    public Term And(params object?[] others) => Make(TermType.And, others);

    public Term Or(params object?[] others) => Make(TermType.Or, others);

    public Term Not() => Make(TermType.Not);

    public Term Add(params object?[] others) => Make(TermType.Add, others);

    public Term Sub(params object?[] others) => Make(TermType.Sub, others);

    public Term Mul(params object?[] others) => Make(TermType.Mul, others);

    public Term Div(params object?[] others) => Make(TermType.Div, others);

    public Term Mod(object? divisor) => Make(TermType.Mod, divisor);
}
