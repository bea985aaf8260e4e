using ActorBackup.Ledger.Documents;
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
        new("bigchain", LedgerTables.BlockTimestampIndex, "r.row['block']['timestamp']", false, row => row["block"]["timestamp"]),
        new("bigchain", "transaction_id", "r.row['block']['transactions']['id']", true, row => row["block"]["transactions"]["id"]),
        new("bigchain", "asset_id", "r.row['block']['transactions']['asset']['id']", true,
            row => row["block"]["transactions"]["asset"]["id"]),
        // Flattened so that each public key is its own index entry, not the whole list of a transaction.
        new("bigchain", "outputs",
            "r.row['block']['transactions'].concat_map(lambda tx: tx['outputs']['public_keys']).reduce(lambda l, r: l + r)", true,
            row => row["block"]["transactions"].ConcatMap(tx => tx["outputs"]["public_keys"]).Reduce((l, r) => l + r)),
        new("bigchain", "inputs",
            "r.row['block']['transactions'].concat_map(lambda tx: tx['inputs']['fulfills']).with_fields('txid', 'output')"
            + ".map(lambda f: [f['txid'], f['output']])", true,
            row => row["block"]["transactions"].ConcatMap(tx => tx["inputs"]["fulfills"]).WithFields("txid", "output")
                .Map(fulfills => R.Array(fulfills["txid"], fulfills["output"]))),
        new("backlog", "assignee__transaction_timestamp", "[r.row['assignee'], r.row['assignment_timestamp']]", false,
            row => R.Array(row["assignee"], row["assignment_timestamp"])),
        new("votes", "block_and_voter", "[r.row['vote']['voting_for_block'], r.row['node_pubkey']]", false,
            row => R.Array(row["vote"]["voting_for_block"], row["node_pubkey"])),
    ];

    /// <summary>The indexes of one table (none for a table BigchainDB does not have).</summary>
    public static IEnumerable<IndexDefinition> IndexesOf(string table) => Indexes.Where(i => i.Table == table);

    /// <summary>The definition of <paramref name="index"/> on <paramref name="table"/>, or null.</summary>
    public static IndexDefinition? Find(string table, string index) =>
        Indexes.FirstOrDefault(i => i.Table == table && i.Name == index);
}
