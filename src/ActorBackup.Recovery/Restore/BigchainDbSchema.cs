using ActorBackup.ReQL.Ast;

namespace ActorBackup.Recovery.Restore;

/// <summary>
/// The tables and secondary indexes BigchainDB 0.10 creates (<c>backend/rethinkdb/schema.py</c> @ v0.10.0): the one
/// place our code takes them from, both to restore a ledger and to set up a simulated one.
/// </summary>
public static class BigchainDbSchema
{
    public const string Database = "bigchain";

    /// <summary>Every table, each with RethinkDB's default primary key <c>id</c>.</summary>
    public static IReadOnlyList<string> Tables { get; } = ["bigchain", "backlog", "votes"];

    public const string PrimaryKey = "id";

    public static IReadOnlyList<IndexDefinition> Indexes { get; } =
    [
        new("bigchain", "block_timestamp", "r.row['block']['timestamp']", false, Function(d => d["block"]["timestamp"])),
        new("bigchain", "transaction_id", "r.row['block']['transactions']['id']", true, Function(d => d["block"]["transactions"]["id"])),
        new("bigchain", "asset_id", "r.row['block']['transactions']['asset']['id']", true,
            Function(d => d["block"]["transactions"]["asset"]["id"])),
        // Wire form because the builder has no concat_map / with_fields; var ids only need to be distinct in the query.
        new("bigchain", "outputs",
            "r.row['block']['transactions'].concat_map(lambda tx: tx['outputs']['public_keys']).reduce(lambda l, r: l + r)", true,
            new RawTerm("""
                [69,[[2,[1]],
                  [37,[[40,[[170,[[170,[[10,[1]],"block"]],"transactions"]],
                            [69,[[2,[2]],[170,[[170,[[10,[2]],"outputs"]],"public_keys"]]]]]],
                       [69,[[2,[3,4]],[24,[[10,[3]],[10,[4]]]]]]]]]]
                """)),
        new("bigchain", "inputs",
            "r.row['block']['transactions'].concat_map(lambda tx: tx['inputs']['fulfills']).with_fields('txid', 'output')"
            + ".map(lambda f: [f['txid'], f['output']])", true,
            new RawTerm("""
                [69,[[2,[1]],
                  [38,[[96,[[40,[[170,[[170,[[10,[1]],"block"]],"transactions"]],
                                 [69,[[2,[2]],[170,[[170,[[10,[2]],"inputs"]],"fulfills"]]]]]],
                            "txid","output"]],
                       [69,[[2,[3]],[2,[[170,[[10,[3]],"txid"]],[170,[[10,[3]],"output"]]]]]]]]]]
                """)),
        new("backlog", "assignee__transaction_timestamp", "[r.row['assignee'], r.row['assignment_timestamp']]", false,
            Function(d => R.Array(d["assignee"], d["assignment_timestamp"]))),
        new("votes", "block_and_voter", "[r.row['vote']['voting_for_block'], r.row['node_pubkey']]", false,
            Function(d => R.Array(d["vote"]["voting_for_block"], d["node_pubkey"]))),
    ];

    /// <summary>The indexes of one table (none for a table BigchainDB does not have).</summary>
    public static IEnumerable<IndexDefinition> IndexesOf(string table) => Indexes.Where(i => i.Table == table);

    /// <summary>The definition of <paramref name="index"/> on <paramref name="table"/>, or null.</summary>
    public static IndexDefinition? Find(string table, string index) =>
        Indexes.FirstOrDefault(i => i.Table == table && i.Name == index);

    // index_create with a lambda builds the function term; taking it back out keeps one definition per index.
    private static ReqlAst Function(Func<ReqlExpr, ReqlExpr> row) =>
        R.Table("_").IndexCreate("_", row).Args[2];
}
