using System.Text.Json;
using ActorBackup.ReQL.Ast;
using Akka;
using Akka.Streams.Dsl;
using Akka.Util;

namespace ActorBackup.ReQL.Net;

/// <summary>How a term is run: <c>R.Db("d").Table("t").RunCursorAsync(conn, ct)</c>. Works on a connection or a pool.</summary>
public static class Run
{
    public static Task<JsonElement> RunAtomAsync(this ReqlAst term, IConnection connection, CancellationToken ct = default) =>
        connection.RunAtomAsync(term, null, ct);

    public static Task<JsonElement> RunAtomAsync(this ReqlAst term, IConnection connection, RunOptions options, CancellationToken ct = default) =>
        connection.RunAtomAsync(term, options, ct);

    public static Task<Cursor> RunCursorAsync(this ReqlAst term, IConnection connection, CancellationToken ct = default) =>
        connection.RunCursorAsync(term, null, ct);

    public static Task<Cursor> RunCursorAsync(this ReqlAst term, IConnection connection, RunOptions options, CancellationToken ct = default) =>
        connection.RunCursorAsync(term, options, ct);

    /// <summary>Runs a `.changes()` term; the result is a changefeed of <see cref="Change"/>s.</summary>
    public static async Task<Changefeed> RunChangesAsync(this ReqlAst term, IConnection connection, CancellationToken ct = default) =>
        new(await connection.RunCursorAsync(term, null, ct));

    public static async Task<WriteResult> RunWriteAsync(this ReqlAst term, IConnection connection, CancellationToken ct = default) =>
        WriteResult.From(await connection.RunAtomAsync(term, null, ct));

    public static async Task<WriteResult> RunWriteAsync(this ReqlAst term, IConnection connection, RunOptions options, CancellationToken ct = default) =>
        WriteResult.From(await connection.RunAtomAsync(term, options, ct));

    public static Task RunNoReplyAsync(this ReqlAst term, IConnection connection, CancellationToken ct = default) =>
        connection.RunNoReplyAsync(term, null, ct);

    /// <summary>
    /// A `.changes()` term as an Akka.Streams source: the feed opens when the stream starts, completing or cancelling
    /// the stream sends STOP, and a failure fails the stream with the <see cref="Errors.ReqlError"/> (wrap it in
    /// RestartSource and decide on <see cref="Errors.ReqlError.IsTransient"/>).
    /// </summary>
    public static Source<Change, NotUsed> ChangesSource(this ReqlAst term, IConnection connection) =>
        Source.UnfoldResourceAsync<Change, FeedReader>(
            async () => new FeedReader(await term.RunChangesAsync(connection)),
            reader => reader.NextAsync(),
            async reader =>
            {
                await reader.DisposeAsync();
                return Done.Instance;
            });

    /// <summary>The open feed and its enumerator, as one resource for the stream stage.</summary>
    private sealed class FeedReader(Changefeed feed) : IAsyncDisposable
    {
        private readonly IAsyncEnumerator<Change> _changes = feed.GetAsyncEnumerator();

        public async Task<Option<Change>> NextAsync() =>
            await _changes.MoveNextAsync() ? Option<Change>.Create(_changes.Current) : Option<Change>.None;

        public async ValueTask DisposeAsync()
        {
            await _changes.DisposeAsync();
            await feed.DisposeAsync();
        }
    }
}
