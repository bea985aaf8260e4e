using System.Text;
using System.Text.Json;
using ActorBackup.Recovery.Restore;
using ActorBackup.ReQL.Ast;
using ActorBackup.ReQL.Net;
using ActorBackup.Sandbox.Reqlite;

namespace ActorBackup.Cluster.Tests.Capture;

/// <summary>A real reqlite holding a federation's bigchain and votes tables, written with our driver.</summary>
public sealed class LedgerSource : IAsyncDisposable
{
    public const string Database = "bigchain";

    private LedgerSource(ReqliteServer server) => Server = server;

    public ReqliteServer Server { get; }

    public string Endpoint => Server.Endpoint;

    public static async Task<LedgerSource> StartAsync()
    {
        var source = new LedgerSource(await ReqliteServer.StartAsync());
        await source.CreateTablesAsync();
        return source;
    }

    /// <summary>Kills the server and starts an empty one on the same port, as a source recovering from a crash.</summary>
    public async Task RestartEmptyAsync()
    {
        await Server.RestartAsync();
        await CreateTablesAsync();
    }

    /// <summary>Inserts the documents as their exact JSON tokens, in one query per table.</summary>
    public async Task InsertAsync(IEnumerable<LedgerDocument> documents)
    {
        await using var connection = await ConnectAsync();
        foreach (var table in documents.GroupBy(d => d.Table))
        {
            var array = "[" + string.Join(",", table.Select(d => Encoding.UTF8.GetString(d.Json))) + "]";
            using var parsed = JsonDocument.Parse(array);
            var result = await R.Db(Database).Table(table.Key).Insert(parsed.RootElement).RunWriteAsync(connection);
            if (result.Errors > 0)
                throw new InvalidOperationException($"reqlite refused {result.Errors} of the {table.Key} documents: {result.FirstError}");
        }
    }

    /// <summary>Deletes the document of <paramref name="table"/> with id <paramref name="id"/>, as a source that lost it.</summary>
    public async Task DeleteAsync(string table, string id)
    {
        await using var connection = await ConnectAsync();
        var result = await R.Db(Database).Table(table).Get(id).Delete().RunWriteAsync(connection);
        if (result.Deleted != 1)
            throw new InvalidOperationException($"reqlite deleted {result.Deleted} documents of {table} with id {id}, not 1");
    }

    /// <summary>Creates the index of <paramref name="table"/> named <paramref name="index"/> as BigchainDB defines it.</summary>
    public async Task CreateIndexAsync(string table, string index)
    {
        var definition = BigchainDbSchema.Find(table, index) ?? throw new ArgumentException($"BigchainDB has no index {index} on {table}.", nameof(index));
        await using var connection = await ConnectAsync();
        await definition.CreateOn(R.Db(Database).Table(table)).RunAtomAsync(connection);
        await R.Db(Database).Table(table).IndexWait(index).RunAtomAsync(connection);
    }

    public ValueTask DisposeAsync() => Server.DisposeAsync();

    private async Task CreateTablesAsync()
    {
        await using var connection = await ConnectAsync();
        await R.DbCreate(Database).RunAtomAsync(connection);
        await R.Db(Database).TableCreate("bigchain").RunAtomAsync(connection);
        await R.Db(Database).TableCreate("votes").RunAtomAsync(connection);
    }

    /// <summary>A connection of the caller's own to the source.</summary>
    public Task<Connection> ConnectAsync() =>
        Connection.ConnectAsync(new ConnectionOptions { Host = Server.Host, Port = Server.Port });
}
