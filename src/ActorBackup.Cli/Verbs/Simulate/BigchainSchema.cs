using System.Text.Json;
using ActorBackup.ReQL.Ast;
using ActorBackup.ReQL.Errors;
using ActorBackup.ReQL.Net;

namespace ActorBackup.Cli.Verbs.Simulate;

/// <summary>
/// The database BigchainDB 0.10 creates (`backend/rethinkdb/schema.py` @ v0.10.0, reference §2.2-2.3): three tables
/// with the default primary key `id`, their secondary indexes, then index_wait on each table.
/// </summary>
internal static class BigchainSchema
{
    public static readonly IReadOnlyList<string> Tables = ["bigchain", "backlog", "votes"];

    public static readonly IReadOnlyList<IndexDefinition> Indexes =
    [
        new("bigchain", "block_timestamp", row => row["block"]["timestamp"]),
        new("bigchain", "transaction_id", row => row["block"]["transactions"]["id"], Multi: true),
        new("bigchain", "asset_id", row => row["block"]["transactions"]["asset"]["id"], Multi: true),
        // Flattened so that each public key is its own index entry, not the whole list of a transaction.
        new("bigchain", "outputs",
            row => row["block"]["transactions"].ConcatMap(tx => tx["outputs"]["public_keys"]).Reduce((l, r) => l + r),
            Multi: true),
        new("bigchain", "inputs",
            row => row["block"]["transactions"].ConcatMap(tx => tx["inputs"]["fulfills"]).WithFields("txid", "output")
                .Map(fulfills => R.Array(fulfills["txid"], fulfills["output"])),
            Multi: true),
        new("backlog", "assignee__transaction_timestamp", row => R.Array(row["assignee"], row["assignment_timestamp"])),
        new("votes", "block_and_voter", row => R.Array(row["vote"]["voting_for_block"], row["node_pubkey"])),
    ];

    /// <summary>
    /// Creates what is missing and returns one warning per index the server refused (reqlite lacks some commands;
    /// a real RethinkDB 2.4 takes them all). Anything else that fails is an error.
    /// </summary>
    public static async Task<IReadOnlyList<string>> EnsureAsync(IConnection connection, string database, CancellationToken ct)
    {
        var warnings = new List<string>();
        if (!Contains(await R.DbList().RunAtomAsync(connection, ct), database))
            await R.DbCreate(database).RunAtomAsync(connection, ct);
        var db = R.Db(database);
        var tables = await db.TableList().RunAtomAsync(connection, ct);
        foreach (var table in Tables.Where(t => !Contains(tables, t)))
            await db.TableCreate(table).RunAtomAsync(connection, ct);
        foreach (var table in Tables)
        {
            var existing = await db.Table(table).IndexList().RunAtomAsync(connection, ct);
            foreach (var index in Indexes.Where(i => i.Table == table && !Contains(existing, i.Name)))
            {
                var create = db.Table(table).IndexCreate(index.Name, index.Function);
                try
                {
                    await (index.Multi ? create.OptArg("multi", true) : create).RunAtomAsync(connection, ct);
                }
                catch (ReqlError e) when (e is ReqlRuntimeError or ReqlCompileError && !e.IsTransient)
                {
                    warnings.Add($"index {table}.{index.Name} not created: the server refused it ({FirstLine(e.Message)})");
                }
            }
            await db.Table(table).IndexWait().RunAtomAsync(connection, ct);
        }
        return warnings;
    }

    private static bool Contains(JsonElement names, string name) =>
        names.ValueKind == JsonValueKind.Array && names.EnumerateArray().Any(n => n.ValueKind == JsonValueKind.String && n.GetString() == name);

    private static string FirstLine(string text) => text.Split('\n', 2)[0].Trim();
}
