using System.Text;
using System.Text.Json;
using ActorBackup.ReQL.Ast;
using ActorBackup.ReQL.Errors;
using ActorBackup.ReQL.Net;

namespace ActorBackup.ReQL.Tests.Net;

/// <summary>Response framing against a scripted loopback server: split reads, caps, corrupt frames, routing.</summary>
public class FramingTests
{
    private static readonly RawTerm One = new("1");

    [Fact]
    public async Task A_response_dribbled_one_byte_at_a_time_is_reassembled()
    {
        await using var server = new ScriptedServer();
        var (client, peer) = await server.ConnectAsync();
        await using var _ = client;
        using var __ = peer;

        var answer = client.RunAtomAsync(One, null, CancellationToken.None);
        var (token, _) = await peer.ReadQueryAsync();
        await peer.DribbleAsync(ScriptedServer.Peer.Frame(token, """{"t":1,"r":[{"dribbled":"yes"}]}"""));

        Assert.Equal("yes", (await answer).GetProperty("dribbled").GetString());
    }

    [Fact]
    public async Task Numbers_come_back_byte_for_byte_as_the_server_wrote_them()
    {
        await using var server = new ScriptedServer();
        var (client, peer) = await server.ConnectAsync();
        await using var _ = client;
        using var __ = peer;
        const string document = """{"a":1.0,"b":1e3,"c":12345678901234567890,"d":-0.0,"e":0.1000000000000000055511151231257827}""";

        var answer = client.RunAtomAsync(One, null, CancellationToken.None);
        var (token, _) = await peer.ReadQueryAsync();
        await peer.RespondAsync(token, $$"""{"t":1,"r":[{{document}}]}""");
        var element = await answer;

        Assert.Equal(document, element.GetRawText());
        var rewritten = new MemoryStream();
        using (var writer = new Utf8JsonWriter(rewritten))
            element.WriteTo(writer);
        Assert.Equal(document, Encoding.UTF8.GetString(rewritten.ToArray()));
    }

    [Fact]
    public async Task A_frame_above_the_cap_breaks_the_connection_before_its_payload_is_read()
    {
        await using var server = new ScriptedServer();
        var (client, peer) = await server.ConnectAsync(server.Options(maxFrameBytes: 1024));
        await using var _ = client;
        using var __ = peer;

        var answer = client.RunAtomAsync(One, null, CancellationToken.None);
        var (token, _) = await peer.ReadQueryAsync();
        // Announces 4 GiB - 1 but sends nothing more: only the header is needed to refuse it.
        await peer.SendAsync(ScriptedServer.Peer.Frame(token, uint.MaxValue, []));

        var error = await Assert.ThrowsAsync<ReqlConnectionError>(() => answer);
        Assert.Contains("4294967295-byte response", error.Message);
        Assert.Contains("1024-byte frame cap", error.Message);
        Assert.True(error.IsTransient);
        Assert.Equal(ConnectionState.Broken, client.State);
    }

    [Fact]
    public async Task A_connection_closed_inside_a_frame_fails_the_pending_query()
    {
        await using var server = new ScriptedServer();
        var (client, peer) = await server.ConnectAsync();
        await using var _ = client;

        var answer = client.RunAtomAsync(One, null, CancellationToken.None);
        var (token, _) = await peer.ReadQueryAsync();
        await peer.SendAsync(ScriptedServer.Peer.Frame(token, 100, Encoding.UTF8.GetBytes("""{"t":1,"r":[""")));
        peer.Dispose();

        var error = await Assert.ThrowsAsync<ReqlConnectionError>(() => answer);
        Assert.Contains($"inside the response for token {token} (12 of 100 bytes)", error.Message);
    }

    [Theory]
    [InlineData("""{"t":1,"r":[1""")]
    [InlineData("\u0001\u0002garbage\u00ff")]
    [InlineData("""[1,2,3]""")]
    [InlineData("""{"t":"one","r":[]}""")]
    public async Task A_corrupt_response_breaks_the_connection_with_a_clear_error(string payload)
    {
        await using var server = new ScriptedServer();
        var (client, peer) = await server.ConnectAsync();
        await using var _ = client;
        using var __ = peer;

        var answer = client.RunAtomAsync(One, null, CancellationToken.None);
        var other = client.ServerInfoAsync();
        var (token, _) = await peer.ReadQueryAsync();
        await peer.ReadQueryAsync();
        await peer.RespondAsync(token, payload);

        var error = await Assert.ThrowsAsync<ReqlConnectionError>(() => answer);
        Assert.Contains($"The response for token {token}", error.Message);
        Assert.Same(error, await Assert.ThrowsAsync<ReqlConnectionError>(() => other));
        Assert.Equal(ConnectionState.Broken, client.State);
        Assert.Equal(0, client.PendingCount);
    }

    [Fact]
    public async Task Responses_for_unknown_tokens_are_ignored()
    {
        await using var server = new ScriptedServer();
        var (client, peer) = await server.ConnectAsync();
        await using var _ = client;
        using var __ = peer;

        var answer = client.RunAtomAsync(One, null, CancellationToken.None);
        var (token, _) = await peer.ReadQueryAsync();
        await peer.RespondAsync(token + 1000, """{"t":2,"r":[],"n":[]}""");
        await peer.RespondAsync(token, """{"t":1,"r":[42]}""");

        Assert.Equal(42, (await answer).GetInt32());
        Assert.Equal(ConnectionState.Open, client.State);
    }

    [Fact]
    public async Task Responses_are_routed_by_token_whatever_their_order()
    {
        await using var server = new ScriptedServer();
        var (client, peer) = await server.ConnectAsync();
        await using var _ = client;
        using var __ = peer;

        var first = client.RunAtomAsync(One, null, CancellationToken.None);
        var (t1, _) = await peer.ReadQueryAsync();
        var second = client.RunAtomAsync(One, null, CancellationToken.None);
        var (t2, _) = await peer.ReadQueryAsync();
        await peer.RespondAsync(t2, """{"t":1,"r":["second"]}""");
        await peer.RespondAsync(t1, """{"t":1,"r":["first"]}""");

        Assert.Equal("first", (await first).GetString());
        Assert.Equal("second", (await second).GetString());
    }

    [Fact]
    public async Task A_silent_server_times_out_the_query_without_breaking_the_connection()
    {
        await using var server = new ScriptedServer();
        var (client, peer) = await server.ConnectAsync(server.Options(responseTimeout: TimeSpan.FromMilliseconds(300)));
        await using var _ = client;
        using var __ = peer;

        var error = await Assert.ThrowsAsync<ReqlDriverError>(() => client.RunAtomAsync(One, null, CancellationToken.None));
        Assert.Contains("within 0.3 s (ResponseTimeout)", error.Message);
        Assert.Equal(ConnectionState.Open, client.State);
        Assert.Equal(0, client.PendingCount);
    }

    [Fact]
    public async Task Cancellation_ends_the_wait_for_a_response()
    {
        await using var server = new ScriptedServer();
        var (client, peer) = await server.ConnectAsync();
        await using var _ = client;
        using var __ = peer;
        using var cts = new CancellationTokenSource();

        var answer = client.RunAtomAsync(One, null, cts.Token);
        await peer.ReadQueryAsync();
        cts.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => answer);
        Assert.Equal(0, client.PendingCount);
    }

    [Fact]
    public async Task A_server_that_accepts_but_never_answers_the_handshake_times_out()
    {
        await using var server = new ScriptedServer();
        var options = server.Options() with { ConnectTimeout = TimeSpan.FromMilliseconds(300) };
        var connecting = Connection.ConnectAsync(options);
        using var peer = await server.AcceptAsync();

        var error = await Assert.ThrowsAsync<ReqlConnectionError>(() => connecting);
        Assert.Equal($"Could not connect to 127.0.0.1:{options.Port} within 0.3 s (ConnectTimeout).", error.Message);
    }

    [Fact]
    public async Task A_refused_connection_is_a_transient_connection_error()
    {
        int port;
        await using (var server = new ScriptedServer())
            port = server.Options().Port;

        var error = await Assert.ThrowsAsync<ReqlConnectionError>(() =>
            Connection.ConnectAsync(new ConnectionOptions { Host = "127.0.0.1", Port = port }));
        Assert.StartsWith($"Could not connect to 127.0.0.1:{port}:", error.Message);
        Assert.True(error.IsTransient);
    }

    [Fact]
    public async Task A_cursor_requests_the_next_batch_before_the_current_one_is_consumed_and_stops_when_disposed()
    {
        await using var server = new ScriptedServer();
        var (client, peer) = await server.ConnectAsync();
        await using var _ = client;
        using var __ = peer;

        var opening = client.RunCursorAsync(One, null, CancellationToken.None);
        var (token, start) = await peer.ReadQueryAsync();
        Assert.Equal(1, start[0].GetInt32());
        await peer.RespondAsync(token, """{"t":3,"r":[1,2],"n":[]}""");
        var cursor = await opening;
        // Nothing consumed yet, and the CONTINUE is already on the wire.
        var (continueToken, continueQuery) = await peer.ReadQueryAsync();
        Assert.Equal(token, continueToken);
        Assert.Equal("[2]", continueQuery.GetRawText());

        var items = cursor.GetAsyncEnumerator();
        Assert.True(await items.MoveNextAsync());
        Assert.Equal(1, items.Current.GetInt32());
        var disposing = items.DisposeAsync().AsTask();
        var (stopToken, stopQuery) = await peer.ReadQueryAsync();
        Assert.Equal(token, stopToken);
        Assert.Equal("[3]", stopQuery.GetRawText());
        await peer.RespondAsync(token, """{"t":2,"r":[],"n":[]}""");
        await disposing;
        Assert.False(cursor.IsOpen);
        Assert.Equal(0, client.PendingCount);
    }

    [Fact]
    public async Task A_cursor_requests_batches_ahead_until_its_prefetch_is_buffered_even_when_none_is_consumed()
    {
        await using var server = new ScriptedServer();
        var (client, peer) = await server.ConnectAsync(server.Options() with { CursorPrefetchBatches = 3 });
        await using var _ = client;
        using var __ = peer;

        var opening = client.RunCursorAsync(One, null, CancellationToken.None);
        var (token, _) = await peer.ReadQueryAsync();
        await peer.RespondAsync(token, """{"t":3,"r":[1],"n":[]}""");
        var cursor = await opening;
        Assert.Equal("[2]", (await peer.ReadQueryAsync()).Query.GetRawText());
        await peer.RespondAsync(token, """{"t":3,"r":[2],"n":[]}""");

        // Two batches wait unread: below a prefetch of three, so the next CONTINUE goes out (with the default two it would not).
        var (nextToken, next) = await peer.ReadQueryAsync();

        Assert.Equal((token, "[2]"), (nextToken, next.GetRawText()));
        Assert.True(cursor.IsOpen);
    }

    [Fact]
    public async Task A_cursor_reads_every_batch_in_order_until_the_final_sequence()
    {
        await using var server = new ScriptedServer();
        var (client, peer) = await server.ConnectAsync();
        await using var _ = client;
        using var __ = peer;

        var opening = client.RunCursorAsync(One, null, CancellationToken.None);
        var (token, _) = await peer.ReadQueryAsync();
        await peer.RespondAsync(token, """{"t":3,"r":[1,2],"n":[]}""");
        var cursor = await opening;
        var serving = Task.Run(async () =>
        {
            await peer.ReadQueryAsync();
            await peer.RespondAsync(token, """{"t":3,"r":[3],"n":[]}""");
            await peer.ReadQueryAsync();
            await peer.RespondAsync(token, """{"t":2,"r":[4,5],"n":[]}""");
        });

        var seen = new List<int>();
        await foreach (var item in cursor)
            seen.Add(item.GetInt32());
        await serving;

        Assert.Equal([1, 2, 3, 4, 5], seen);
        Assert.False(cursor.IsOpen);
        Assert.Equal(0, client.PendingCount);
        Assert.Throws<InvalidOperationException>(() => cursor.GetAsyncEnumerator());
    }
}
