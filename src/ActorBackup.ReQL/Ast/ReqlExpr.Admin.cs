namespace ActorBackup.ReQL.Ast;

// Commands on a database or a table: tables, secondary indexes, cluster configuration.
public abstract partial class ReqlExpr
{
    /// <summary>TABLE; optargs read_mode, identifier_format.</summary>
    public Term Table(string name) => Make(TermType.Table, name);

    /// <summary>TABLE_CREATE; optargs primary_key, shards, replicas, primary_replica_tag, durability.</summary>
    public Term TableCreate(string name) => Make(TermType.TableCreate, name);

    public Term TableDrop(string name) => Make(TermType.TableDrop, name);

    public Term TableList() => Make(TermType.TableList);

    /// <summary>INDEX_CREATE on a field of the same name; optargs multi, geo.</summary>
    public Term IndexCreate(string name) => Make(TermType.IndexCreate, name);

    /// <summary>
    /// INDEX_CREATE computed by a function, e.g. nested <c>d => d["block"]["timestamp"]</c> or compound
    /// <c>d => R.Array(d["a"], d["b"])</c>.
    /// </summary>
    public Term IndexCreate(string name, Func<ReqlExpr, ReqlExpr> function) => Make(TermType.IndexCreate, name, function);

    /// <summary>INDEX_CREATE from a term or from the BINARY function that index_status reports (to recreate an index exactly).</summary>
    public Term IndexCreate(string name, object? function) => Make(TermType.IndexCreate, name, function);

    public Term IndexDrop(string name) => Make(TermType.IndexDrop, name);

    public Term IndexList() => Make(TermType.IndexList);

    /// <summary>INDEX_STATUS of the named indexes, or of all when none is named.</summary>
    public Term IndexStatus(params object?[] names) => Make(TermType.IndexStatus, names);

    /// <summary>INDEX_WAIT for the named indexes, or for all when none is named.</summary>
    public Term IndexWait(params object?[] names) => Make(TermType.IndexWait, names);

    public Term IndexRename(string oldName, string newName) => Make(TermType.IndexRename, oldName, newName);

    public Term Config() => Make(TermType.Config);

    public Term Status() => Make(TermType.Status);

    /// <summary>WAIT for a table or database to be ready; optargs wait_for, timeout.</summary>
    public Term Wait() => Make(TermType.Wait);

    /// <summary>RECONFIGURE; optargs shards, replicas, primary_replica_tag, dry_run, emergency_repair.</summary>
    public Term Reconfigure() => Make(TermType.Reconfigure);

    public Term Rebalance() => Make(TermType.Rebalance);
}
