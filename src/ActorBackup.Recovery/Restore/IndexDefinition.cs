using ActorBackup.ReQL.Ast;

namespace ActorBackup.Recovery.Restore;

/// <summary>
/// A secondary index as an application defines it: a name, a function of the row, whether it is multi.
/// Used where the server's own serialized function cannot be: reqlite, or archives that carry no function blob.
/// </summary>
/// <param name="Table">The table the index belongs to.</param>
/// <param name="Name">The index name.</param>
/// <param name="Expression">The row expression, for people (Python driver notation).</param>
/// <param name="Multi">One index entry per element of the array the function returns.</param>
/// <param name="Function">The ReQL function of the row.</param>
public sealed record IndexDefinition(string Table, string Name, string Expression, bool Multi, Func<ReqlExpr, ReqlExpr> Function)
{
    /// <summary><c>index_create(name, function, multi)</c> on <paramref name="table"/>.</summary>
    public Term CreateOn(ReqlExpr table) => Multi
        ? table.IndexCreate(Name, Function)[new { multi = true }]
        : table.IndexCreate(Name, Function);
}
