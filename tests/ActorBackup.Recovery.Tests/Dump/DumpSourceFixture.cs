using System.Text.Json;
using ActorBackup.Recovery.Archive;
using ActorBackup.ReQL.Ast;
using ActorBackup.ReQL.Net;
using ActorBackup.Sandbox.Reqlite;

namespace ActorBackup.Recovery.Tests.Dump;

/// <summary>
/// A real reqlite holding database <c>bigchain</c> with BigchainDB-like tables: <c>bigchain</c> (blocks, 2,500
/// documents keyed by id), <c>votes</c> (1,200, keyed by vote_id) and an empty <c>backlog</c>.
/// </summary>
public sealed class DumpSourceFixture : IAsyncLifetime
{
    private ReqliteServer? _server;
    private Connection? _connection;

    public ReqliteServer Server => _server ?? throw new InvalidOperationException("The fixture has not started.");

    public Connection Connection => _connection ?? throw new InvalidOperationException("The fixture has not started.");

    public static readonly IReadOnlyDictionary<string, string> PrimaryKeys = new Dictionary<string, string>
    {
        ["bigchain"] = "id",
        ["votes"] = "vote_id",
        ["backlog"] = "id",
    };

    public async Task InitializeAsync()
    {
        _server = await ReqliteServer.StartAsync();
        _connection = await Connection.ConnectAsync(new ConnectionOptions { Host = Server.Host, Port = Server.Port });
        await R.DbCreate("bigchain").RunAtomAsync(Connection);
        foreach (var (table, pk) in PrimaryKeys)
            await R.Db("bigchain").TableCreate(table)[new { primary_key = pk }].RunAtomAsync(Connection);
        await R.Db("bigchain").Table("bigchain").IndexCreate("block_timestamp", d => d["block"]["timestamp"]).RunAtomAsync(Connection);
        await InsertAsync("bigchain", Enumerable.Range(0, 2500).Select(Block));
        await InsertAsync("votes", Enumerable.Range(0, 1200).Select(Vote));
    }

    private static string Block(int i) => $$$"""
        {"id":"{{{i * 7919 % 10007:x8}}}{{{i:x4}}}","block":{"timestamp":"{{{1500000000 + i}}}","transactions":[{"id":"tx{{{i}}}","asset":{"data":{"name":"Grüße ✓ 😀 {{{i}}}","n":{{{i}}}.5,"big":{{{i + 1}}}000000000,"nested":[[{{{i}}}],[],{"k":null}]}},"outputs":[{"amount":"{{{i % 10}}}","public_keys":["Key{{{i}}}"]}]}],"voters":["V1","V2"]},"signature":"sig\"\\{{{i}}}","created":{"$reql_type$":"TIME","epoch_time":{{{1500000000 + i}}},"timezone":"+00:00"}}
        """;

    private static string Vote(int i) => $$$"""
        {"vote_id":{{{i}}},"node_pubkey":"Node{{{i % 4}}}","vote":{"voting_for_block":"b{{{i / 4}}}","is_block_valid":{{{(i % 9 == 0 ? "false" : "true")}}},"timestamp":"{{{1500000000 + i}}}"},"signature":"s{{{i}}}"}
        """;

    private async Task InsertAsync(string table, IEnumerable<string> documents)
    {
        foreach (var chunk in documents.Chunk(500))
        {
            var batch = chunk.Select(d => JsonDocument.Parse(d).RootElement).ToList();
            var result = await R.Db("bigchain").Table(table).Insert(batch).RunWriteAsync(Connection);
            if (result.Inserted != batch.Count)
                throw new InvalidOperationException($"inserting into {table}: {result.Inserted} of {batch.Count} inserted");
        }
    }

    /// <summary>The table as the source returns it (raw times and binaries), each row in Python's JSON format, by primary key.</summary>
    public async Task<Dictionary<string, string>> SourceRowsAsync(string table)
    {
        var rows = new Dictionary<string, string>();
        var pk = PrimaryKeys[table];
        await using var cursor = await R.Db("bigchain").Table(table)
            .RunCursorAsync(Connection, new RunOptions { TimeFormat = "raw", BinaryFormat = "raw" });
        await foreach (var row in cursor)
            rows.Add(row.GetProperty(pk).GetRawText(), PythonJson.Format(System.Text.Encoding.UTF8.GetBytes(row.GetRawText())));
        return rows;
    }

    public async Task DisposeAsync()
    {
        if (_connection is not null) await _connection.DisposeAsync();
        if (_server is not null) await _server.DisposeAsync();
    }
}
