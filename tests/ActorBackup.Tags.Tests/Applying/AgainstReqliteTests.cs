using ActorBackup.ReQL.Ast;
using ActorBackup.ReQL.Net;
using ActorBackup.Tags.Applying;
using ActorBackup.Tags.Planning;
using ActorBackup.Tags.SystemTables;
using ActorBackup.Sandbox.Reqlite;
using ActorBackup.Testing;

namespace ActorBackup.Tags.Tests.Applying;

/// <summary>
/// reqlite implements neither the system tables, `reconfigure` nor `wait`: each step stops with one line naming the
/// command it lacks, never a crash or a claim of success.
/// </summary>
public sealed class AgainstReqliteTests(AgainstReqliteTests.BigchainOnReqlite reqlite) : IClassFixture<AgainstReqliteTests.BigchainOnReqlite>
{
    private Connection Connection => reqlite.Connection;

    private string SourceName => $"the source {reqlite.Server.Endpoint}";

    [Fact]
    public async Task Reading_the_system_tables_stops_because_reqlite_leaves_them_empty()
    {
        var error = await Assert.ThrowsAsync<SystemTablesFormatException>(() => SystemTablesReader.ReadAsync(Connection, SourceName, CancellationToken.None));

        Assert.Equal($"{SourceName} lists no server in rethinkdb.server_config, where a RethinkDB cluster lists every connected server: "
                     + "it does not implement RethinkDB's system tables (reqlite does not), which the server-tag layout needs", error.Message);
    }

    [Fact]
    public async Task A_dry_run_reconfigure_stops_naming_reconfigure()
    {
        var reconfigurer = new TableReconfigurer(Connection, SourceName);

        var error = await Assert.ThrowsAsync<MissingCapabilityException>(() => reconfigurer.DryRunAsync(VotesPlan(), CancellationToken.None));

        Assert.Equal("reconfigure", error.Capability);
        Assert.Equal($"{SourceName} cannot run reconfigure (it answered: This method has not been implemented (yet) in Reqlite): "
                     + "the server-tag layout needs RethinkDB 2.1 or later", error.Message);
    }

    [Fact]
    public async Task A_reconfigure_stops_naming_reconfigure_and_the_table_keeps_its_documents()
    {
        await R.Db("bigchain").Table("votes").Insert(new { id = "v1" }).RunAtomAsync(Connection);
        var reconfigurer = new TableReconfigurer(Connection, SourceName);

        var error = await Assert.ThrowsAsync<MissingCapabilityException>(() => reconfigurer.ApplyAsync(VotesPlan()));

        Assert.Equal("reconfigure", error.Capability);
        Assert.Equal(1, (await R.Db("bigchain").Table("votes").Count().RunAtomAsync(Connection)).GetInt32());
    }

    [Fact]
    public async Task Waiting_for_the_replicas_stops_naming_wait()
    {
        var reconfigurer = new TableReconfigurer(Connection, SourceName);

        var error = await Assert.ThrowsAsync<MissingCapabilityException>(() => reconfigurer.WaitReadyAsync(Layouts.Votes, 30, CancellationToken.None));

        Assert.Equal("wait", error.Capability);
        Assert.Equal($"{SourceName} cannot run wait (it answered: Ereor is not defined): the server-tag layout needs RethinkDB 2.1 or later", error.Message);
    }

    private static TablePlan VotesPlan()
    {
        var plan = Assert.IsType<TagPlan>(TagPlanner.Plan(Layouts.Load("three-original-two-backup"),
            new TagLayoutRequest(TagNames.Default, 1, OriginalReplicas.Keep, [Layouts.Votes])));
        return plan.Tables[0];
    }

    /// <summary>One reqlite with BigchainDB's database and the tables the plan names.</summary>
    public sealed class BigchainOnReqlite : IAsyncLifetime
    {
        private ReqliteServer? _server;
        private Connection? _connection;

        public ReqliteServer Server => _server ?? throw new InvalidOperationException("reqlite is not started");

        public Connection Connection => _connection ?? throw new InvalidOperationException("reqlite is not started");

        public async Task InitializeAsync()
        {
            _server = await ReqliteServer.StartAsync();
            _connection = await Connection.ConnectAsync(new ConnectionOptions { Host = Server.Host, Port = Server.Port });
            await R.DbCreate("bigchain").RunAtomAsync(Connection);
            await R.Db("bigchain").TableCreate("bigchain").RunAtomAsync(Connection);
            await R.Db("bigchain").TableCreate("votes").RunAtomAsync(Connection);
        }

        public async Task DisposeAsync()
        {
            if (_connection is not null)
                await _connection.DisposeAsync();
            if (_server is not null)
                await _server.DisposeAsync();
        }
    }
}
