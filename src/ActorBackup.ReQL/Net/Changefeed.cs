using System.Text.Json;

namespace ActorBackup.ReQL.Net;

/// <summary>A changefeed read as <see cref="Change"/>s; enumerable once. Disposing it (or its enumerator) sends STOP.</summary>
public sealed class Changefeed(Cursor cursor) : IAsyncEnumerable<Change>, IAsyncDisposable
{
    public IReadOnlyList<ResponseNote> Notes => cursor.Notes;

    public bool IsOpen => cursor.IsOpen;

    public IAsyncEnumerator<Change> GetAsyncEnumerator(CancellationToken cancellationToken = default) =>
        new Enumerator(cursor.GetAsyncEnumerator(cancellationToken));

    public ValueTask DisposeAsync() => cursor.DisposeAsync();

    /// <summary>
    /// A plain wrapper rather than an iterator method: it may be disposed while a MoveNextAsync is pending (a stream
    /// cancelled during a quiet period), which ends that wait instead of throwing.
    /// </summary>
    private sealed class Enumerator(IAsyncEnumerator<JsonElement> elements) : IAsyncEnumerator<Change>
    {
        public Change Current { get; private set; } = null!;

        public async ValueTask<bool> MoveNextAsync()
        {
            if (!await elements.MoveNextAsync())
                return false;
            Current = Change.From(elements.Current);
            return true;
        }

        public ValueTask DisposeAsync() => elements.DisposeAsync();
    }
}
