namespace ActorBackup.ReQL.Ast;

// Strings.
public abstract partial class ReqlExpr
{
    /// <summary>SPLIT on whitespace.</summary>
    public Term Split() => Make(TermType.Split);

    /// <summary>SPLIT on <paramref name="separator"/>; the empty string splits into single characters.</summary>
    public Term Split(object? separator) => Make(TermType.Split, separator);

    /// <summary>MATCH: the first match of the RE2 <paramref name="regex"/> as an object (<c>str</c>, <c>start</c>, <c>end</c>, <c>groups</c>), or null.</summary>
    public Term Match(object? regex) => Make(TermType.Match, regex);
}
