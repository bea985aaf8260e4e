using ActorBackup.Testing;
using System.Diagnostics;
using ActorBackup.ReQL.Errors;
using ActorBackup.ReQL.Net;
using ActorBackup.Sandbox;
using ActorBackup.Sandbox.Reqlite;
using Akka.Actor;
using Akka.Streams;
using Akka.Streams.Dsl;
using ActorBackup.ReQL.Ast;

namespace ActorBackup.ReQL.Tests.Reqlite;

/// <summary>Servers killed for real (SIGKILL) under open feeds and pools; each test starts its own servers.</summary>
public class ReqliteFailureTests
{
    private static ConnectionOptions OptionsFor(ReqliteServer server) => new() { Host = server.Host, Port = server.Port };

    [Fact]
    public async Task A_server_killed_mid_feed_fails_the_feed_promptly_with_a_transient_connection_error()
    {
        await using var server = await ReqliteServer.StartAsync();
        await using var conn = await Connection.ConnectAsync(OptionsFor(server));
        await R.DbCreate("d").RunAtomAsync(conn);
        await R.Db("d").TableCreate("t").RunAtomAsync(conn);
        await using var feed = await R.Db("d").Table("t").Changes().RunChangesAsync(conn);
        await using var changes = feed.GetAsyncEnumerator();
        var next = changes.MoveNextAsync().AsTask();
        var clock = Stopwatch.StartNew();

        server.Kill();

        var error = await Assert.ThrowsAsync<ReqlConnectionError>(() => next.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5));
        Assert.True(error.IsTransient);
        Assert.Equal($"The server {server.Endpoint} closed the connection.", error.Message);
        Assert.Equal(ConnectionState.Broken, conn.State);
        var later = await Assert.ThrowsAsync<ReqlConnectionError>(() => R.Expr(1).RunAtomAsync(conn));
        Assert.False(later.QuerySent);
    }

    [Fact]
    public async Task A_server_restarted_on_a_port_another_process_took_fails_with_one_line_instead_of_answering_for_that_process()
    {
        await using var server = await ReqliteServer.StartAsync();
        server.Kill();
        // Another process listens there now: connections to the port are accepted, by it.
        using var other = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, server.Port);
        other.Start();

        var error = await Assert.ThrowsAsync<SandboxException>(() => server.RestartAsync());

        Assert.StartsWith($"reqlite could not listen on port {server.Port}: ", error.Message);
        Assert.DoesNotContain('\n', error.Message);
        Assert.Null(server.ProcessId);
    }

    [Fact]
    public async Task The_changefeed_source_fails_with_the_connection_error_when_the_server_dies()
    {
        await using var server = await ReqliteServer.StartAsync();
        await using var conn = await Connection.ConnectAsync(OptionsFor(server));
        await R.DbCreate("d").RunAtomAsync(conn);
        await R.Db("d").TableCreate("t").RunAtomAsync(conn);
        using var system = ActorSystem.Create("changefeed-source-failure");
        var done = R.Db("d").Table("t").Changes().ChangesSource(conn).RunWith(Sink.Ignore<Change>(), system.Materializer());
        await Eventually.Passes(() => Assert.Equal(1, conn.PendingCount), TimeSpan.FromSeconds(10));

        server.Kill();

        var error = await Assert.ThrowsAsync<ReqlConnectionError>(() => done.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.True(error.IsTransient);
    }

    [Fact]
    public async Task Every_pending_request_fails_at_once_when_the_server_dies()
    {
        await using var server = await ReqliteServer.StartAsync();
        await using var conn = await Connection.ConnectAsync(OptionsFor(server));
        await R.DbCreate("d").RunAtomAsync(conn);
        await R.Db("d").TableCreate("t").RunAtomAsync(conn);
        var feeds = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => R.Db("d").Table("t").Changes().RunChangesAsync(conn)));
        var waits = feeds.Select(f => f.GetAsyncEnumerator().MoveNextAsync().AsTask()).ToList();

        server.Kill();

        foreach (var wait in waits)
            await Assert.ThrowsAsync<ReqlConnectionError>(() => wait.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.Equal(0, conn.PendingCount);
    }

    [Fact]
    public async Task A_pool_fails_over_to_the_next_host_when_the_first_is_killed()
    {
        await using var first = await ReqliteServer.StartAsync();
        await using var second = await ReqliteServer.StartAsync();
        await using var pool = await ConnectionPool.ConnectAsync($"{first.Endpoint},{second.Endpoint}", new ConnectionOptions());
        await R.DbCreate("only_on_first").RunAtomAsync(pool);
        Assert.Equal(first.Endpoint, pool.CurrentEndpoint);

        first.Kill();

        // The query racing the kill may have reached the dying socket: that one fails, transiently; later ones move on.
        var failures = new List<ReqlConnectionError>();
        var dbs = await Eventually.Passes(async () =>
        {
            try
            {
                return (await R.DbList().RunAtomAsync(pool)).EnumerateArray().Select(d => d.GetString()!).ToArray();
            }
            catch (ReqlConnectionError e)
            {
                failures.Add(e);
                throw;
            }
        }, TimeSpan.FromSeconds(10));
        Assert.All(failures, e => Assert.True(e.IsTransient && e.QuerySent, e.Message));
        Assert.Equal(second.Endpoint, pool.CurrentEndpoint);
        Assert.DoesNotContain("only_on_first", dbs);
    }

    [Fact]
    public async Task A_pool_skips_a_host_that_is_down_and_reports_all_when_none_answers()
    {
        await using var up = await ReqliteServer.StartAsync();
        var down = FreePort.Next();

        await using (var pool = await ConnectionPool.ConnectAsync($"127.0.0.1:{down},{up.Endpoint}", new ConnectionOptions()))
        {
            Assert.Equal(up.Endpoint, pool.CurrentEndpoint);
            Assert.NotNull(await pool.ServerInfoAsync());
        }

        var error = await Assert.ThrowsAsync<ReqlConnectionError>(() => ConnectionPool.ConnectAsync($"127.0.0.1:{down}", new ConnectionOptions()));
        Assert.StartsWith($"No host could be reached (127.0.0.1:{down}: Could not connect to 127.0.0.1:{down}:", error.Message);
    }

    [Theory]
    [InlineData("", "The host list is empty: give at least one host:port.")]
    [InlineData("h:0", "'h:0' is not host:port (port 1-65535) in the host list 'h:0'.")]
    [InlineData("a:1,:5", "':5' is not host:port (port 1-65535) in the host list 'a:1,:5'.")]
    public async Task A_malformed_host_list_is_refused_with_a_clear_message(string hosts, string message)
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() => ConnectionPool.ConnectAsync(hosts, new ConnectionOptions()));
        Assert.Equal(message, error.Message);
    }
}
