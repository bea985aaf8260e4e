using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ActorBackup.Ledger.Json;
using ActorBackup.ReQL.Ast;
using ActorBackup.ReQL.Net;
using ActorBackup.Sandbox.Reqlite;

namespace ActorBackup.Cli.Tests.Simulate;

/// <summary>The blocks and votes of one database, read back with our driver, as raw JSON text.</summary>
internal sealed record StoredDocuments(IReadOnlyList<string> Blocks, IReadOnlyList<string> Votes)
{
    public static async Task<StoredDocuments> ReadAsync(ReqliteServer server, string database)
    {
        await using var connection = await Connection.ConnectAsync(new ConnectionOptions { Host = server.Host, Port = server.Port });
        return new StoredDocuments(await ReadTableAsync(connection, database, "bigchain"), await ReadTableAsync(connection, database, "votes"));
    }

    /// <summary>A document as canonical JSON text, optionally without its RethinkDB-generated <c>id</c>, for comparing content.</summary>
    public static string Canonical(string json, bool withoutId = false)
    {
        var node = JsonNode.Parse(json)!.AsObject();
        if (withoutId)
            node.Remove("id");
        return Encoding.UTF8.GetString(CanonicalJson.ToBytes(node));
    }

    private static async Task<IReadOnlyList<string>> ReadTableAsync(IConnection connection, string database, string table)
    {
        var documents = new List<string>();
        await using var cursor = await R.Db(database).Table(table).RunCursorAsync(connection);
        await foreach (var document in cursor)
            documents.Add(document.GetRawText());
        return documents;
    }
}
