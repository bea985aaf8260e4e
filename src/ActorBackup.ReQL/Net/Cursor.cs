using System.Text.Json;
using ActorBackup.ReQL.Errors;

namespace ActorBackup.ReQL.Net;

/// <summary>
/// The documents of a stream query, enumerable once. While one batch is consumed the next is already requested
/// (CONTINUE goes out as soon as a partial batch arrives, with at most <see cref="ConnectionOptions.CursorPrefetchBatches"/>
/// batches buffered). Disposing an open cursor sends STOP. An atom whose value is an array is exposed the same way, without a token.
/// </summary>
public sealed class Cursor : IAsyncEnumerable<JsonElement>, IAsyncDisposable, IResponseSink
{
    private readonly Connection? _connection;
    private readonly ulong _token;
    private readonly TimeSpan _responseTimeout;
    private readonly int _prefetchBatches;
    private readonly object _gate = new();
    private readonly Queue<JsonElement> _batches = new();
    private readonly TaskCompletionSource _first = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource? _arrival;
    private ReqlError? _error;
    private bool _lastWasPartial;
    private bool _continueOutstanding;
    private bool _complete;
    private bool _stopSent;
    private bool _enumerated;
    private IReadOnlyList<ResponseNote> _notes = [];

    internal Cursor(Connection connection, ulong token, ConnectionOptions options)
    {
        _connection = connection;
        _token = token;
        _responseTimeout = options.ResponseTimeout;
        _prefetchBatches = options.CursorPrefetchBatches;
    }

    /// <summary>The notes of the first response; a changefeed carries one of SEQUENCE_FEED .. UNIONED_FEED.</summary>
    public IReadOnlyList<ResponseNote> Notes => _notes;

    public bool IsFeed => _notes.Any(n => n is ResponseNote.SequenceFeed or ResponseNote.AtomFeed or ResponseNote.OrderByLimitFeed or ResponseNote.UnionedFeed);

    /// <summary>False once the server sent its last batch, the cursor failed, or it was disposed.</summary>
    public bool IsOpen
    {
        get { lock (_gate) return !_complete; }
    }

    /// <summary>The error that ended the cursor, if any.</summary>
    public ReqlError? Error
    {
        get { lock (_gate) return _error; }
    }

    /// <summary>True once the server answered the START (or the connection failed it).</summary>
    internal bool Started => _first.Task.IsCompleted;

    internal async Task WaitForFirstResponseAsync(CancellationToken ct)
    {
        await WaitAsync(_first.Task, "first response", ct);
        lock (_gate)
        {
            if (_error is not null && _batches.Count == 0)
                throw _error;
        }
    }

    /// <summary>Forgets a cursor whose START never got an answer: there is nothing on the server to stop.</summary>
    internal void Abandon()
    {
        lock (_gate)
            Fail(new ReqlDriverError("The query was abandoned before its first response."));
        _connection?.Unregister(_token);
    }

    public IAsyncEnumerator<JsonElement> GetAsyncEnumerator(CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (_enumerated)
                throw new InvalidOperationException("A cursor can be enumerated only once: its documents are streamed, not kept.");
            _enumerated = true;
        }
        return new Enumerator(this, cancellationToken);
    }

    void IResponseSink.OnResponse(Response response)
    {
        TaskCompletionSource? wake;
        lock (_gate)
        {
            if (!_first.Task.IsCompleted)
                _notes = response.Notes;
            _continueOutstanding = false;
            if (response.IsError)
                Fail(response.ToError());
            else
                Accept(response);
            wake = _arrival;
            _arrival = null;
            RequestMoreIfRoom();
        }
        _first.TrySetResult();
        wake?.TrySetResult();
    }

    void IResponseSink.OnBroken(ReqlError error)
    {
        TaskCompletionSource? wake;
        lock (_gate)
        {
            Fail(error);
            wake = _arrival;
            _arrival = null;
        }
        _first.TrySetResult();
        wake?.TrySetResult();
    }

    private void Accept(Response response)
    {
        switch (response.Type)
        {
            case ResponseType.SuccessPartial:
                _batches.Enqueue(response.Data);
                _lastWasPartial = true;
                break;
            case ResponseType.SuccessSequence:
                _batches.Enqueue(response.Data);
                _lastWasPartial = false;
                _complete = true;
                break;
            case ResponseType.SuccessAtom when response.Data.GetArrayLength() == 1 && response.Data[0].ValueKind == JsonValueKind.Array:
                _batches.Enqueue(response.Data[0]);
                _complete = true;
                break;
            default:
                Fail(new ReqlDriverError(
                    $"Expected a sequence but the server returned {response.Type}: {Describe(response.Data)}. Use RunAtomAsync for single values."));
                break;
        }
    }

    private void Fail(ReqlError error)
    {
        _error ??= error;
        _complete = true;
        _lastWasPartial = false;
    }

    private void RequestMoreIfRoom()
    {
        if (_complete || _stopSent || !_lastWasPartial || _continueOutstanding || _batches.Count >= _prefetchBatches)
            return;
        _continueOutstanding = true;
        _connection!.SendInBackground(_token, QueryType.Continue);
    }

    /// <summary>The next batch, waiting for one if needed; null when the cursor is finished.</summary>
    private async ValueTask<JsonElement?> NextBatchAsync(CancellationToken ct)
    {
        while (true)
        {
            Task arrival;
            lock (_gate)
            {
                if (_batches.TryDequeue(out var batch))
                {
                    RequestMoreIfRoom();
                    return batch;
                }
                if (_error is not null)
                    throw _error;
                if (_complete)
                    return null;
                _arrival ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                arrival = _arrival.Task;
            }
            // A quiet changefeed may wait forever: only cancellation or a broken connection ends that wait.
            if (IsFeed)
                await arrival.WaitAsync(ct);
            else
                await WaitAsync(arrival, "next batch", ct);
        }
    }

    private async Task WaitAsync(Task task, string what, CancellationToken ct)
    {
        try
        {
            await task.WaitAsync(_responseTimeout, ct);
        }
        catch (TimeoutException)
        {
            throw new ReqlDriverError($"No {what} from the server within {_responseTimeout.TotalSeconds:0.#} s (ResponseTimeout).");
        }
    }

    /// <summary>Sends STOP if the server may still send batches, and waits (bounded) for its acknowledgement.</summary>
    public async ValueTask DisposeAsync()
    {
        Task? acknowledged = null;
        lock (_gate)
        {
            _batches.Clear();
            if (!_complete && !_stopSent && _connection is { State: ConnectionState.Open })
            {
                _stopSent = true;
                _arrival ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                acknowledged = _arrival.Task;
                _connection.SendInBackground(_token, QueryType.Stop);
            }
            else
            {
                _complete = true;
            }
        }
        // Waits, bounded, for the final response; the reader loop unregisters the token when it arrives.
        var deadline = DateTime.UtcNow + _responseTimeout;
        while (acknowledged is not null && deadline - DateTime.UtcNow is var remaining && remaining > TimeSpan.Zero)
        {
            try
            {
                await acknowledged.WaitAsync(remaining);
            }
            catch (TimeoutException)
            {
                break;
            }
            lock (_gate)
            {
                _batches.Clear();
                if (_complete)
                    acknowledged = null;
                else
                    acknowledged = (_arrival ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
            }
        }
        lock (_gate)
            _complete = true;
        _connection?.Unregister(_token);
    }

    private static string Describe(JsonElement data)
    {
        var text = data.GetRawText();
        return text.Length <= 120 ? text : text[..120] + "…";
    }

    private sealed class Enumerator(Cursor cursor, CancellationToken ct) : IAsyncEnumerator<JsonElement>
    {
        private JsonElement.ArrayEnumerator _batch;
        private bool _hasBatch;

        public JsonElement Current => _batch.Current;

        public async ValueTask<bool> MoveNextAsync()
        {
            while (true)
            {
                if (_hasBatch && _batch.MoveNext())
                    return true;
                var next = await cursor.NextBatchAsync(ct);
                if (next is not { } batch)
                    return false;
                _batch = batch.EnumerateArray();
                _hasBatch = true;
            }
        }

        public ValueTask DisposeAsync() => cursor.DisposeAsync();
    }
}
