using ActorBackup.ReQL.Net;
using Akka.Actor;
using Akka.Streams;
using Akka.Streams.Dsl;
using static ActorBackup.ReQL.Tests.Reqlite.Queries;

namespace ActorBackup.ReQL.Tests.Reqlite;

/// <summary>Changefeeds on a real reqlite: delivery, range filtering, STOP on close, and the Akka.Streams source.</summary>
public class ReqliteChangefeedTests(ReqliteFixture reqlite) : IClassFixture<ReqliteFixture>
{
    private readonly Connection _conn = reqlite.Connection;

    private static CancellationToken Deadline(int seconds = 15) => new CancellationTokenSource(TimeSpan.FromSeconds(seconds)).Token;

    private async Task CreateAsync(string table)
    {
        if (!(await new ActorBackup.ReQL.Ast.RawTerm("[59,[]]").RunAtomAsync(_conn)).EnumerateArray().Any(d => d.GetString() == "feeds"))
            await DbCreate("feeds").RunAtomAsync(_conn);
        await TableCreate("feeds", table).RunAtomAsync(_conn);
    }

    [Fact]
    public async Task An_insert_made_while_the_feed_is_open_arrives_on_it()
    {
        await CreateAsync("live");
        await using var feed = await Changes(Table("feeds", "live")).RunChangesAsync(_conn, Deadline());
        await using var changes = feed.GetAsyncEnumerator(Deadline());

        Assert.Contains(ResponseNote.SequenceFeed, feed.Notes);
        await Insert("feeds", "live", ["""{"id":"a","v":1}"""]).RunWriteAsync(_conn);
        Assert.True(await changes.MoveNextAsync());

        var change = changes.Current;
        Assert.True(change.IsDocumentChange);
        Assert.Null(change.OldValue);
        Assert.Equal("a", change.NewValue!.Value.GetProperty("id").GetString());
        Assert.Null(change.Error);
    }

    [Fact]
    public async Task Updates_and_deletes_arrive_with_old_and_new_values()
    {
        await CreateAsync("updates");
        await Insert("feeds", "updates", ["""{"id":1,"v":"old"}"""]).RunWriteAsync(_conn);
        await using var feed = await Changes(Table("feeds", "updates")).RunChangesAsync(_conn, Deadline());
        await using var changes = feed.GetAsyncEnumerator(Deadline());

        await new ActorBackup.ReQL.Ast.RawTerm($$"""[53,[{{Get("feeds", "updates", "1").ToWireJson()}},{"v":"new"}]]""").RunWriteAsync(_conn);
        Assert.True(await changes.MoveNextAsync());
        Assert.Equal("old", changes.Current.OldValue!.Value.GetProperty("v").GetString());
        Assert.Equal("new", changes.Current.NewValue!.Value.GetProperty("v").GetString());

        await new ActorBackup.ReQL.Ast.RawTerm($"[54,[{Get("feeds", "updates", "1").ToWireJson()}]]").RunWriteAsync(_conn);
        Assert.True(await changes.MoveNextAsync());
        Assert.Equal("new", changes.Current.OldValue!.Value.GetProperty("v").GetString());
        Assert.Null(changes.Current.NewValue);
    }

    [Fact]
    public async Task A_feed_on_a_between_range_sees_only_documents_in_its_range()
    {
        await CreateAsync("ranged");
        await using var feed = await Changes(Between("feeds", "ranged", "100", "200")).RunChangesAsync(_conn, Deadline());
        await using var changes = feed.GetAsyncEnumerator(Deadline());

        foreach (var id in new[] { 5, 150, 250, 199, 200 })
            await Insert("feeds", "ranged", [$$"""{"id":{{id}}}"""]).RunWriteAsync(_conn);
        // 200 is outside (right bound open); the last in-range insert marks the end of what must arrive.
        await Insert("feeds", "ranged", ["""{"id":100}"""]).RunWriteAsync(_conn);

        var ids = new List<int>();
        while (ids.Count < 3 && await changes.MoveNextAsync())
            ids.Add(changes.Current.NewValue!.Value.GetProperty("id").GetInt32());
        Assert.Equal([150, 199, 100], ids);
    }

    [Fact]
    public async Task Disposing_a_feed_sends_stop_and_releases_its_token()
    {
        await CreateAsync("stopped");
        var feed = await Changes(Table("feeds", "stopped")).RunChangesAsync(_conn, Deadline());
        var changes = feed.GetAsyncEnumerator(Deadline());
        await Insert("feeds", "stopped", ["""{"id":1}"""]).RunWriteAsync(_conn);
        Assert.True(await changes.MoveNextAsync());
        Assert.Equal(1, _conn.PendingCount);

        await changes.DisposeAsync();

        Assert.False(feed.IsOpen);
        Assert.Equal(0, _conn.PendingCount);
        Assert.Equal(ConnectionState.Open, _conn.State);
        await Insert("feeds", "stopped", ["""{"id":2}"""]).RunWriteAsync(_conn);
        Assert.Equal(2, (await Count("feeds", "stopped").RunAtomAsync(_conn)).GetInt32());
    }

    [Fact]
    public async Task The_akka_streams_source_delivers_changes_and_sends_stop_when_cancelled()
    {
        await CreateAsync("streamed");
        using var system = ActorSystem.Create("changefeed-source-test");
        var received = new List<int>();
        var gotTwo = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var (killSwitch, done) = Changes(Table("feeds", "streamed")).ChangesSource(_conn)
            .ViaMaterialized(KillSwitches.Single<Change>(), Keep.Right)
            .ToMaterialized(Sink.ForEach<Change>(c =>
            {
                lock (received)
                {
                    received.Add(c.NewValue!.Value.GetProperty("id").GetInt32());
                    if (received.Count == 2) gotTwo.TrySetResult();
                }
            }), Keep.Both)
            .Run(system.Materializer());

        await PollAsync(() => _conn.PendingCount == 1, "the feed to open");
        await Insert("feeds", "streamed", ["""{"id":1}"""]).RunWriteAsync(_conn);
        await Insert("feeds", "streamed", ["""{"id":2}"""]).RunWriteAsync(_conn);
        await gotTwo.Task.WaitAsync(TimeSpan.FromSeconds(15));
        killSwitch.Shutdown();
        await done.WaitAsync(TimeSpan.FromSeconds(15));

        Assert.Equal([1, 2], received);
        await PollAsync(() => _conn.PendingCount == 0, "STOP to be acknowledged");
    }

    private static async Task PollAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"Timed out waiting for {what}.");
            await Task.Delay(10);
        }
    }
}
