namespace ActorBackup.Cluster.Admin;

/// <summary>
/// A request body read with bounds: at most <c>admin.max-body-size</c> bytes, and all of it within
/// <c>admin.request-timeout</c> of the request's arrival, after which the connection is closed (a read blocked on a
/// client that stopped sending has no other way out). <paramref name="arrived"/> is called when its end is read, so the
/// deadline stops bounding the answer.
/// </summary>
public sealed class RequestBody(Stream inner, long maxBytes, CancellationToken deadline, Action arrived) : Stream
{
    private long _read;

    public long MaxBytes => maxBytes;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => _read;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        deadline.ThrowIfCancellationRequested();
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline);
        int n;
        try
        {
            n = await inner.ReadAsync(buffer, linked.Token);
        }
        catch (Exception e) when (deadline.IsCancellationRequested && e is not RequestBodyException)
        {
            throw new RequestBodyException(RequestBodyProblem.TooSlow, "the request body did not arrive within the request timeout");
        }
        if (n == 0 && buffer.Length > 0)
            arrived();
        _read += n;
        if (_read > maxBytes)
            throw new RequestBodyException(RequestBodyProblem.TooLarge, $"the request body is longer than {maxBytes} bytes (actorbackup.admin.max-body-size)");
        return n;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}

/// <summary>Why a request body was cut off.</summary>
public enum RequestBodyProblem
{
    TooLarge,
    TooSlow,
}

/// <summary>A request body over its bounds: the request is answered (413) or its connection closed, and nothing more of it is read.</summary>
public sealed class RequestBodyException(RequestBodyProblem problem, string message) : Exception(message)
{
    public RequestBodyProblem Problem { get; } = problem;
}
