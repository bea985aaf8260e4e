namespace ActorBackup.ReQL.Net;

/// <summary>A changefeed read as <see cref="Change"/>s; enumerable once. Disposing it sends STOP.</summary>
public sealed class Changefeed(Cursor cursor) : IAsyncEnumerable<Change>, IAsyncDisposable
{
    public IReadOnlyList<ResponseNote> Notes => cursor.Notes;

    public bool IsOpen => cursor.IsOpen;

    public async IAsyncEnumerator<Change> GetAsyncEnumerator(CancellationToken cancellationToken = default)
    {
        await foreach (var element in cursor.WithCancellation(cancellationToken))
            yield return Change.From(element);
    }

    public ValueTask DisposeAsync() => cursor.DisposeAsync();
}
