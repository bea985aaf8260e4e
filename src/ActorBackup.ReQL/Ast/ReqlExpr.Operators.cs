namespace ActorBackup.ReQL.Ast;

// C# operators for the common cases: doc["height"] > 5, a + b, x & y, !x.
// == and != are deliberately absent: on a reference type they would turn null checks
// (`expr == null`) into ReQL terms; use Eq/Ne.
public abstract partial class ReqlExpr
{
    public static Term operator >(ReqlExpr a, ReqlExpr b) => a.Gt(b);
    public static Term operator >(ReqlExpr a, object? b) => a.Gt(b);
    public static Term operator >(object? a, ReqlExpr b) => R.Expr(a).Gt(b);
    public static Term operator <(ReqlExpr a, ReqlExpr b) => a.Lt(b);
    public static Term operator <(ReqlExpr a, object? b) => a.Lt(b);
    public static Term operator <(object? a, ReqlExpr b) => R.Expr(a).Lt(b);
    public static Term operator >=(ReqlExpr a, ReqlExpr b) => a.Ge(b);
    public static Term operator >=(ReqlExpr a, object? b) => a.Ge(b);
    public static Term operator >=(object? a, ReqlExpr b) => R.Expr(a).Ge(b);
    public static Term operator <=(ReqlExpr a, ReqlExpr b) => a.Le(b);
    public static Term operator <=(ReqlExpr a, object? b) => a.Le(b);
    public static Term operator <=(object? a, ReqlExpr b) => R.Expr(a).Le(b);

    public static Term operator +(ReqlExpr a, ReqlExpr b) => a.Add(b);
    public static Term operator +(ReqlExpr a, object? b) => a.Add(b);
    public static Term operator +(object? a, ReqlExpr b) => R.Expr(a).Add(b);
    public static Term operator -(ReqlExpr a, ReqlExpr b) => a.Sub(b);
    public static Term operator -(ReqlExpr a, object? b) => a.Sub(b);
    public static Term operator -(object? a, ReqlExpr b) => R.Expr(a).Sub(b);
    public static Term operator *(ReqlExpr a, ReqlExpr b) => a.Mul(b);
    public static Term operator *(ReqlExpr a, object? b) => a.Mul(b);
    public static Term operator *(object? a, ReqlExpr b) => R.Expr(a).Mul(b);
    public static Term operator /(ReqlExpr a, ReqlExpr b) => a.Div(b);
    public static Term operator /(ReqlExpr a, object? b) => a.Div(b);
    public static Term operator /(object? a, ReqlExpr b) => R.Expr(a).Div(b);
    public static Term operator %(ReqlExpr a, ReqlExpr b) => a.Mod(b);
    public static Term operator %(ReqlExpr a, object? b) => a.Mod(b);

    public static Term operator &(ReqlExpr a, ReqlExpr b) => a.And(b);
    public static Term operator &(ReqlExpr a, bool b) => a.And(b);
    public static Term operator |(ReqlExpr a, ReqlExpr b) => a.Or(b);
    public static Term operator |(ReqlExpr a, bool b) => a.Or(b);
    public static Term operator !(ReqlExpr a) => a.Not();
}
