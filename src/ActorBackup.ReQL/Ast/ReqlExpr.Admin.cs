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

    /// <summary>
    /// WAIT until the table or database reaches <paramref name="waitFor"/> (<c>ready_for_outdated_reads</c>,
    /// <c>ready_for_reads</c>, <c>ready_for_writes</c> or <c>all_replicas_ready</c>), failing after
    /// <paramref name="timeoutSeconds"/>.
    /// </summary>
    public Term Wait(string waitFor, int timeoutSeconds) =>
        Wait().OptArg("wait_for", waitFor).OptArg("timeout", timeoutSeconds);

    /// <summary>RECONFIGURE; optargs shards, replicas, primary_replica_tag, nonvoting_replica_tags, dry_run, emergency_repair.</summary>
    public Term Reconfigure() => Make(TermType.Reconfigure);

    /// <summary>
    /// RECONFIGURE by server tags: <paramref name="replicasByTag"/> replicas of each shard on servers of each tag, in the
    /// order given, and every primary on a server tagged <paramref name="primaryReplicaTag"/> (which RethinkDB requires
    /// whenever replicas are given per tag, and which must be one of those tags).
    /// </summary>
    public Term Reconfigure(int shards, IReadOnlyList<KeyValuePair<string, int>> replicasByTag, string primaryReplicaTag)
    {
        if (!replicasByTag.Any(kv => kv.Key == primaryReplicaTag))
            throw new ArgumentException($"The primary replica tag '{primaryReplicaTag}' must be one of the replica tags.", nameof(primaryReplicaTag));
        var replicas = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (tag, count) in replicasByTag)
            replicas.Add(tag, count);
        return Reconfigure().OptArg("shards", shards).OptArg("replicas", replicas).OptArg("primary_replica_tag", primaryReplicaTag);
    }

    public Term Rebalance() => Make(TermType.Rebalance);
}
