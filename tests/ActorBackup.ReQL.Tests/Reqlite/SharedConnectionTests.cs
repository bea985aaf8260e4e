using System.Text;
using System.Text.Json;
using ActorBackup.ReQL.Ast;
using ActorBackup.ReQL.Net;

namespace ActorBackup.ReQL.Tests.Reqlite;

/// <summary>
/// Many queries of many consumers on one connection, as a backup node runs every replica's feed and scan on one
/// connection per source: each feed gets its own changes, a consumer that stops reading holds back only its own feed,
/// and a document nested deeper than any parser default reaches its reader without breaking the connection.
/// </summary>
public sealed class SharedConnectionTests(ReqliteFixture reqlite) : IClassFixture<ReqliteFixture>
{
    private const int Feeds = 256;
    private readonly Connection _conn = reqlite.Connection;

    private static CancellationToken Deadline(int seconds = 30) => new CancellationTokenSource(TimeSpan.FromSeconds(seconds)).Token;

    private async Task<Term> CreateAsync(string table)
    {
        if (!(await R.DbList().RunAtomAsync(_conn)).EnumerateArray().Any(d => d.GetString() == "shared"))
            await R.DbCreate("shared").RunAtomAsync(_conn);
        await R.Db("shared").TableCreate(table).RunAtomAsync(_conn);
        return R.Db("shared").Table(table);
    }

    private static string Key(int range, string suffix) => $"{range:D3}-{suffix}";

    [Fact]
    public async Task Two_hundred_and_fifty_six_range_feeds_on_one_connection_each_deliver_exactly_their_own_range()
    {
        var table = await CreateAsync("many");
        await using var connection = await Connection.ConnectAsync(reqlite.Options);
        var feeds = new List<Changefeed>();
        try
        {
            for (var i = 0; i < Feeds; i++)
                feeds.Add(await table.Between(Key(i, ""), Key(i + 1, "")).Changes().RunChangesAsync(connection, Deadline()));
            await table.Insert(Enumerable.Range(0, Feeds).Select(i => new { id = Key(i, "x"), range = i }).ToArray()).RunWriteAsync(_conn);

            var seen = await Task.WhenAll(feeds.Select(async (feed, i) =>
            {
                await using var changes = feed.GetAsyncEnumerator(Deadline());
                Assert.True(await changes.MoveNextAsync(), $"feed {i} ended");
                return changes.Current.NewValue!.Value.GetProperty("range").GetInt32();
            }));

            Assert.Equal(Enumerable.Range(0, Feeds), seen);
            Assert.Equal(ConnectionState.Open, connection.State);
        }
        finally
        {
            foreach (var feed in feeds) await feed.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_feed_whose_reader_stopped_reading_does_not_hold_back_another_feed_on_the_same_connection()
    {
        var table = await CreateAsync("slow");
        await using var connection = await Connection.ConnectAsync(reqlite.Options);
        await using var stalled = await table.Between("a", "b").Changes().RunChangesAsync(connection, Deadline());
        await using var stalledChanges = stalled.GetAsyncEnumerator(Deadline());
        await using var moving = await table.Between("b", "c").Changes().RunChangesAsync(connection, Deadline());
        await using var movingChanges = moving.GetAsyncEnumerator(Deadline());

        for (var i = 0; i < 50; i++)
        {
            await table.Insert(new[] { new { id = $"a{i:D3}" }, new { id = $"b{i:D3}" } }).RunWriteAsync(_conn);
            Assert.True(await movingChanges.MoveNextAsync());
            Assert.Equal($"b{i:D3}", movingChanges.Current.NewValue!.Value.GetProperty("id").GetString());
        }

        // The stalled feed lost nothing: its changes waited (on the server, and at most a prefetch in the client).
        for (var i = 0; i < 50; i++)
        {
            Assert.True(await stalledChanges.MoveNextAsync());
            Assert.Equal($"a{i:D3}", stalledChanges.Current.NewValue!.Value.GetProperty("id").GetString());
        }
    }

    [Fact]
    public async Task A_document_nested_six_hundred_deep_reaches_its_feed_and_scan_while_the_connection_and_another_feed_go_on()
    {
        var table = await CreateAsync("deep");
        await using var connection = await Connection.ConnectAsync(reqlite.Options);
        await using var deepFeed = await table.Between("d", "e").Changes().RunChangesAsync(connection, Deadline());
        await using var deepChanges = deepFeed.GetAsyncEnumerator(Deadline());
        await using var otherFeed = await table.Between("o", "p").Changes().RunChangesAsync(connection, Deadline());
        await using var otherChanges = otherFeed.GetAsyncEnumerator(Deadline());

        var deep = Nested(600);
        using (var parsed = JsonDocument.Parse(deep, new JsonDocumentOptions { MaxDepth = 700 }))
            await table.Insert(parsed.RootElement).RunWriteAsync(_conn);
        await table.Insert(new { id = "other" }).RunWriteAsync(_conn);

        Assert.True(await deepChanges.MoveNextAsync());
        Assert.Equal("deep", deepChanges.Current.NewValue!.Value.GetProperty("id").GetString());
        Assert.Equal(600, Depth(deepChanges.Current.NewValue!.Value));
        Assert.True(await otherChanges.MoveNextAsync());
        Assert.Equal("other", otherChanges.Current.NewValue!.Value.GetProperty("id").GetString());

        var scanned = new List<JsonElement>();
        await using (var cursor = await table.Between("d", "e").RunCursorAsync(connection, Deadline()))
            await foreach (var document in cursor) scanned.Add(document);
        Assert.Equal(600, Depth(Assert.Single(scanned)));
        Assert.Equal(ConnectionState.Open, connection.State);
    }

    /// <summary>{"id":"deep","n":{"n":{...}}} with <paramref name="depth"/> levels of objects in all.</summary>
    private static string Nested(int depth)
    {
        var text = new StringBuilder("{\"id\":\"deep\",\"n\":");
        for (var i = 2; i < depth; i++) text.Append("{\"n\":");
        text.Append("{}");
        text.Append('}', depth - 1);
        return text.ToString();
    }

    private static int Depth(JsonElement element)
    {
        var depth = 0;
        for (var e = element; e.ValueKind == JsonValueKind.Object; e = e.TryGetProperty("n", out var n) ? n : default)
            depth++;
        return depth;
    }
}
