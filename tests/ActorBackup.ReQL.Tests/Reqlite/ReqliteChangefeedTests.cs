using ActorBackup.ReQL.Net;
using ActorBackup.Testing;
using Akka.Actor;
using Akka.Streams;
using Akka.Streams.Dsl;
using ActorBackup.ReQL.Ast;

namespace ActorBackup.ReQL.Tests.Reqlite;

/// <summary>Changefeeds on a real reqlite: delivery, range filtering, STOP on close, and the Akka.Streams source.</summary>
public class ReqliteChangefeedTests(ReqliteFixture reqlite) : IClassFixture<ReqliteFixture>
{
    private readonly Connection _conn = reqlite.Connection;

    private static CancellationToken Deadline(int seconds = 15) => new CancellationTokenSource(TimeSpan.FromSeconds(seconds)).Token;

    private async Task<Term> CreateAsync(string table)
    {
        if (!(await R.DbList().RunAtomAsync(_conn)).EnumerateArray().Any(d => d.GetString() == "feeds"))
            await R.DbCreate("feeds").RunAtomAsync(_conn);
        await R.Db("feeds").TableCreate(table).RunAtomAsync(_conn);
        return R.Db("feeds").Table(table);
    }

    [Fact]
    public async Task An_insert_made_while_the_feed_is_open_arrives_on_it()
    {
        var live = await CreateAsync("live");
        await using var feed = await live.Changes().RunChangesAsync(_conn, Deadline());
        await using var changes = feed.GetAsyncEnumerator(Deadline());

        Assert.Contains(ResponseNote.SequenceFeed, feed.Notes);
        await live.Insert(new { id = "a", v = 1 }).RunWriteAsync(_conn);
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
        var updates = await CreateAsync("updates");
        await updates.Insert(new { id = 1, v = "old" }).RunWriteAsync(_conn);
        await using var feed = await updates.Changes().RunChangesAsync(_conn, Deadline());
        await using var changes = feed.GetAsyncEnumerator(Deadline());

        await updates.Get(1).Update(new { v = "new" }).RunWriteAsync(_conn);
        Assert.True(await changes.MoveNextAsync());
        Assert.Equal("old", changes.Current.OldValue!.Value.GetProperty("v").GetString());
        Assert.Equal("new", changes.Current.NewValue!.Value.GetProperty("v").GetString());

        await updates.Get(1).Delete().RunWriteAsync(_conn);
        Assert.True(await changes.MoveNextAsync());
        Assert.Equal("new", changes.Current.OldValue!.Value.GetProperty("v").GetString());
        Assert.Null(changes.Current.NewValue);
    }

    [Fact]
    public async Task A_feed_on_a_between_range_sees_only_documents_in_its_range()
    {
        var ranged = await CreateAsync("ranged");
        await using var feed = await ranged.Between(100, 200).Changes().RunChangesAsync(_conn, Deadline());
        await using var changes = feed.GetAsyncEnumerator(Deadline());

        foreach (var id in new[] { 5, 150, 250, 199, 200 })
            await ranged.Insert(new { id }).RunWriteAsync(_conn);
        // 200 is outside (right bound open); the last in-range insert marks the end of what must arrive.
        await ranged.Insert(new { id = 100 }).RunWriteAsync(_conn);

        var ids = new List<int>();
        while (ids.Count < 3 && await changes.MoveNextAsync())
            ids.Add(changes.Current.NewValue!.Value.GetProperty("id").GetInt32());
        Assert.Equal([150, 199, 100], ids);
    }

    [Fact]
    public async Task Disposing_a_feed_sends_stop_and_releases_its_token()
    {
        var stopped = await CreateAsync("stopped");
        var feed = await stopped.Changes().RunChangesAsync(_conn, Deadline());
        var changes = feed.GetAsyncEnumerator(Deadline());
        await stopped.Insert(new { id = 1 }).RunWriteAsync(_conn);
        Assert.True(await changes.MoveNextAsync());
        Assert.Equal(1, _conn.PendingCount);

        await changes.DisposeAsync();

        Assert.False(feed.IsOpen);
        Assert.Equal(0, _conn.PendingCount);
        Assert.Equal(ConnectionState.Open, _conn.State);
        await stopped.Insert(new { id = 2 }).RunWriteAsync(_conn);
        Assert.Equal(2, (await stopped.Count().RunAtomAsync(_conn)).GetInt32());
    }

    [Fact]
    public async Task The_akka_streams_source_delivers_changes_and_sends_stop_when_cancelled()
    {
        var streamed = await CreateAsync("streamed");
        using var system = ActorSystem.Create("changefeed-source-test");
        var received = new List<int>();
        var gotTwo = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var (killSwitch, done) = streamed.Changes().ChangesSource(_conn)
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

        await Eventually.Passes(() => Assert.Equal(1, _conn.PendingCount), TimeSpan.FromSeconds(15));
        await streamed.Insert(new { id = 1 }).RunWriteAsync(_conn);
        await streamed.Insert(new { id = 2 }).RunWriteAsync(_conn);
        await gotTwo.Task.WaitAsync(TimeSpan.FromSeconds(15));
        killSwitch.Shutdown();
        await done.WaitAsync(TimeSpan.FromSeconds(15));

        Assert.Equal([1, 2], received);
        await Eventually.Passes(() => Assert.Equal(0, _conn.PendingCount), TimeSpan.FromSeconds(15));
    }
}
