using System.Text.Json;
using ActorBackup.Recovery.Restore;
using ActorBackup.ReQL.Ast;
using ActorBackup.ReQL.Errors;
using ActorBackup.ReQL.Net;

namespace ActorBackup.Sandbox.Federation;

/// <summary>
/// Sets up the database BigchainDB 0.10 creates (<see cref="BigchainDbSchema"/>): the tables, their secondary indexes,
/// then index_wait on each table.
/// </summary>
public static class BigchainSchema
{
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
        foreach (var table in BigchainDbSchema.Tables.Where(t => !Contains(tables, t)))
            await db.TableCreate(table).RunAtomAsync(connection, ct);
        foreach (var table in BigchainDbSchema.Tables)
        {
            var existing = await db.Table(table).IndexList().RunAtomAsync(connection, ct);
            foreach (var index in BigchainDbSchema.IndexesOf(table).Where(i => !Contains(existing, i.Name)))
            {
                try
                {
                    await index.CreateOn(db.Table(table)).RunAtomAsync(connection, ct);
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
