namespace ActorBackup.ReQL.Ast;

// Writing documents; optargs durability, return_changes, conflict, non_atomic go in the indexer.
public abstract partial class ReqlExpr
{
    /// <summary>INSERT one document or an array of them; optargs conflict, durability, return_changes.</summary>
    public Term Insert(object? documents) => Make(TermType.Insert, documents);

    public Term Update(object? patch) => Make(TermType.Update, patch);

    public Term Update(Func<ReqlExpr, ReqlExpr> patch) => Make(TermType.Update, patch);

    public Term Replace(object? document) => Make(TermType.Replace, document);

    public Term Replace(Func<ReqlExpr, ReqlExpr> document) => Make(TermType.Replace, document);

    public Term Delete() => Make(TermType.Delete);

    /// <summary>SYNC: returns once the table's soft-durability writes are on disk.</summary>
    public Term Sync() => Make(TermType.Sync);
}
