using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Sockets;
using System.Text.Json;
using ActorBackup.ReQL.Ast;
using ActorBackup.ReQL.Errors;

namespace ActorBackup.ReQL.Net;

/// <summary>
/// One TCP connection speaking V1_0. Many queries may be in flight: one reader loop routes each response to its
/// token's sink, one write lock keeps frames whole, and <see cref="Break"/> fails every pending request at once.
/// </summary>
public sealed class Connection : IConnection
{
    /// <summary>reqlite reads and echoes only the low 32 bits of a token.</summary>
    private const ulong TokenLimit = 1UL << 32;

    private readonly ConnectionOptions _options;
    private readonly Socket _socket;
    private readonly Stream _output;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly ConcurrentDictionary<ulong, IResponseSink> _pending = new();
    private readonly CancellationTokenSource _lifetime = new();
    private Exception? _breakReason;
    private long _lastToken;
    private volatile ConnectionState _state = ConnectionState.Connecting;
    private long _lastReceived = Stopwatch.GetTimestamp();
    private Task _reader = Task.CompletedTask;

    private Connection(ConnectionOptions options, Socket socket, Stream output, string? serverVersion)
    {
        _options = options;
        _socket = socket;
        _output = output;
        ServerVersion = serverVersion;
    }

    public ConnectionOptions Options => _options;

    public string Endpoint => $"{_options.Host}:{_options.Port}";

    public ConnectionState State => _state;

    /// <summary>
    /// Time since the last response frame arrived (or since the connection was made): a server still sending is alive,
    /// whatever its answer to one query waits behind.
    /// </summary>
    public TimeSpan SinceLastReceived => Stopwatch.GetElapsedTime(Interlocked.Read(ref _lastReceived));

    /// <summary>The first cause of the break, or null while the connection is healthy.</summary>
    public Exception? BreakReason => _breakReason;

    /// <summary>The version the server announced in its handshake (null for reqlite).</summary>
    public string? ServerVersion { get; }

    internal int PendingCount => _pending.Count;

    /// <summary>Connects and authenticates; the TCP connect and the handshake together are bounded by ConnectTimeout.</summary>
    public static async Task<Connection> ConnectAsync(ConnectionOptions options, CancellationToken ct = default)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(options.ConnectTimeout);
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.KeepAlive, true);
        var idle = Math.Max(1, (int)options.KeepAliveIdle.TotalSeconds);
        socket.SetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveTime, idle);
        socket.SetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveInterval, Math.Max(1, idle / 2));
        socket.SetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveRetryCount, 3);
        var where = $"{options.Host}:{options.Port}";
        try
        {
            await socket.ConnectAsync(options.Host, options.Port, deadline.Token);
            Stream stream = new NetworkStream(socket, ownsSocket: false);
            if (options.Tls is { } tls)
                stream = await TlsHandshake.AuthenticateAsync(stream, options.Host, options.Port, tls, deadline.Token);
            var input = new BufferedStream(stream, 64 * 1024);
            var serverVersion = await HandshakeAsync(stream, input, options, deadline.Token);
            var connection = new Connection(options, socket, stream, serverVersion) { _state = ConnectionState.Open };
            connection._reader = Task.Run(() => connection.ReadLoopAsync(input));
            return connection;
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            socket.Dispose();
            throw new ReqlConnectionError($"Could not connect to {where} within {options.ConnectTimeout.TotalSeconds:0.#} s (ConnectTimeout).");
        }
        catch (Exception e) when (e is SocketException or IOException)
        {
            socket.Dispose();
            throw new ReqlConnectionError($"Could not connect to {where}: {e.Message}", e);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static async Task<string?> HandshakeAsync(Stream output, Stream input, ConnectionOptions options, CancellationToken ct)
    {
        var handshake = new Handshake(options.User, options.Password);
        await output.WriteAsync(handshake.Start(), ct);
        while (handshake.State != HandshakeState.Completed)
        {
            var message = await ReadHandshakeMessageAsync(input, options.MaxHandshakeMessageBytes, ct);
            var reply = handshake.Receive(message);
            if (reply is not null)
                await output.WriteAsync(reply, ct);
        }
        return handshake.ServerVersion;
    }

    private static async Task<byte[]> ReadHandshakeMessageAsync(Stream input, int max, CancellationToken ct)
    {
        var message = new MemoryStream();
        var one = new byte[1];
        while (true)
        {
            if (await input.ReadAsync(one, ct) == 0)
            {
                var partial = System.Text.Encoding.UTF8.GetString(message.ToArray()).Trim();
                throw new ReqlConnectionError(partial.Length == 0
                    ? "The server closed the connection during the handshake."
                    : $"The server closed the connection during the handshake after: {partial}");
            }
            if (one[0] == 0)
                return message.ToArray();
            if (message.Length >= max)
                throw new ReqlDriverError($"A handshake message from the server exceeds {max} bytes without its terminating NUL.");
            message.WriteByte(one[0]);
        }
    }

    private async Task ReadLoopAsync(Stream input)
    {
        var frames = new FrameReader(input, _options.MaxFrameBytes);
        try
        {
            while (true)
            {
                var frame = await frames.ReadAsync(_lifetime.Token);
                if (frame is not { } f)
                {
                    Break(new ReqlConnectionError($"The server {Endpoint} closed the connection."));
                    return;
                }
                Interlocked.Exchange(ref _lastReceived, Stopwatch.GetTimestamp());
                var response = Response.Parse(f.Token, f.Payload);
                // Unknown tokens are answers nobody waits for any more (reqlite repeats STOP replies): ignored.
                IResponseSink? sink;
                if (response.IsPartial ? _pending.TryGetValue(f.Token, out sink) : _pending.TryRemove(f.Token, out sink))
                    sink.OnResponse(response);
            }
        }
        catch (Exception e)
        {
            Break(e);
        }
    }

    /// <summary>
    /// Breaks the connection from outside, e.g. when the server stopped answering although TCP raised nothing: every
    /// pending query and open cursor fails with a <see cref="ReqlConnectionError"/> giving <paramref name="reason"/>.
    /// </summary>
    public void Abort(string reason) => Break(new ReqlConnectionError(reason));

    /// <summary>
    /// Marks the connection broken with its first cause, closes the socket and fails every pending request with
    /// one <see cref="ReqlConnectionError"/>. Later calls change nothing.
    /// </summary>
    internal void Break(Exception reason)
    {
        if (Interlocked.CompareExchange(ref _breakReason, reason, null) is not null)
            return;
        if (_state != ConnectionState.Closed)
            _state = ConnectionState.Broken;
        _lifetime.Cancel();
        _socket.Dispose();
        var error = BrokenError(querySent: true);
        foreach (var token in _pending.Keys)
            if (_pending.TryRemove(token, out var sink))
                sink.OnBroken(error);
    }

    private ReqlConnectionError BrokenError(bool querySent)
    {
        var reason = _breakReason!;
        if (reason is ReqlConnectionError { } ce && ce.QuerySent == querySent)
            return ce;
        var message = _state == ConnectionState.Closed
            ? $"The connection to {Endpoint} is closed."
            : $"The connection to {Endpoint} is broken: {reason.Message}";
        return new ReqlConnectionError(message, reason, querySent);
    }

    internal ulong NextToken()
    {
        var token = (ulong)Interlocked.Increment(ref _lastToken);
        if (token >= TokenLimit)
            throw new ReqlDriverError("This connection has used all 2^32 query tokens; open a new connection.");
        return token;
    }

    internal void Register(ulong token, IResponseSink sink)
    {
        _pending[token] = sink;
        // Break may have run between the caller's check and the insert: whoever removes the entry fails it.
        if (_breakReason is not null && _pending.TryRemove(token, out _))
            throw BrokenError(querySent: false);
    }

    internal void Unregister(ulong token) => _pending.TryRemove(token, out _);

    /// <summary>Writes one whole frame under the write lock; a failed or stalled write breaks the connection.</summary>
    internal async Task SendAsync(byte[] frame, CancellationToken ct)
    {
        if (_breakReason is not null)
            throw BrokenError(querySent: false);
        await _writeLock.WaitAsync(ct);
        try
        {
            if (_breakReason is not null)
                throw BrokenError(querySent: false);
            // Cancelling half a frame would corrupt the stream, so the write itself is bounded only by the timeout.
            using var stall = new CancellationTokenSource(_options.ResponseTimeout);
            await _output.WriteAsync(frame, stall.Token);
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
        {
            Break(e is OperationCanceledException
                ? new ReqlConnectionError($"Writing a query to {Endpoint} stalled for {_options.ResponseTimeout.TotalSeconds:0.#} s.")
                : e);
            throw BrokenError(querySent: true);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>Sends CONTINUE or STOP for a stream without waiting; a failure breaks the connection, which fails its sink.</summary>
    internal void SendInBackground(ulong token, QueryType type)
    {
        var frame = QueryWriter.Encode(token, type);
        _ = SendAsync(frame, CancellationToken.None).ContinueWith(
            t => t.Exception?.Handle(_ => true),
            TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously);
    }

    /// <summary>Sends a query answered by exactly one response and waits for it, bounded by ResponseTimeout and <paramref name="ct"/>.</summary>
    private async Task<Response> RequestAsync(QueryType type, ReqlAst? term, RunOptions? options, CancellationToken ct)
    {
        var token = NextToken();
        var awaiter = new ResponseAwaiter();
        Register(token, awaiter);
        try
        {
            await SendAsync(QueryWriter.Encode(token, type, term, options, _options.Db), ct);
            return await awaiter.Task.WaitAsync(_options.ResponseTimeout, ct);
        }
        catch (TimeoutException)
        {
            throw new ReqlDriverError($"No response from {Endpoint} within {_options.ResponseTimeout.TotalSeconds:0.#} s (ResponseTimeout) to a {type} query.");
        }
        finally
        {
            // A response arriving later finds no sink and is ignored; a partial one is answered below.
            Unregister(token);
        }
    }

    public async Task<JsonElement> RunAtomAsync(ReqlAst term, RunOptions? options, CancellationToken ct)
    {
        var response = await RequestAsync(QueryType.Start, term, options, ct);
        if (response.IsError)
            throw response.ToError();
        switch (response.Type)
        {
            case ResponseType.SuccessAtom when response.Data.GetArrayLength() == 1:
                return response.Data[0];
            case ResponseType.SuccessSequence:
                return response.Data;
            case ResponseType.SuccessPartial:
                SendInBackground(response.Token, QueryType.Stop);
                throw new ReqlDriverError("The query returned a stream, not a single value: run it with RunCursorAsync.");
            default:
                throw new ReqlDriverError($"Unexpected {response.Type} response with {response.Data.GetArrayLength()} values to a START query.");
        }
    }

    public async Task<Cursor> RunCursorAsync(ReqlAst term, RunOptions? options, CancellationToken ct)
    {
        var token = NextToken();
        var cursor = new Cursor(this, token, _options);
        Register(token, cursor);
        try
        {
            await SendAsync(QueryWriter.Encode(token, QueryType.Start, term, options, _options.Db), ct);
            await cursor.WaitForFirstResponseAsync(ct);
            return cursor;
        }
        catch
        {
            if (!cursor.Started)
                cursor.Abandon();
            else
                await cursor.DisposeAsync();
            throw;
        }
    }

    public async Task RunNoReplyAsync(ReqlAst term, RunOptions? options, CancellationToken ct)
    {
        var token = NextToken();
        await SendAsync(QueryWriter.Encode(token, QueryType.Start, term, options, _options.Db, noreply: true), ct);
    }

    public async Task<ServerInfo> ServerInfoAsync(CancellationToken ct = default)
    {
        var response = await RequestAsync(QueryType.ServerInfo, null, null, ct);
        if (response.IsError)
            throw response.ToError();
        if (response.Type != ResponseType.ServerInfo || response.Data.GetArrayLength() != 1)
            throw new ReqlDriverError($"Unexpected {response.RawType} response to SERVER_INFO.");
        return ServerInfo.From(response.Data[0]);
    }

    public async Task NoReplyWaitAsync(CancellationToken ct = default)
    {
        var response = await RequestAsync(QueryType.NoreplyWait, null, null, ct);
        if (response.IsError)
            throw response.ToError();
        // reqlite answers with SUCCESS_ATOM instead of WAIT_COMPLETE.
        if (response.Type is not (ResponseType.WaitComplete or ResponseType.SuccessAtom))
            throw new ReqlDriverError($"Unexpected {response.RawType} response to NOREPLY_WAIT.");
    }

    /// <summary>Closes the socket; pending requests fail with a "closed" connection error.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_state != ConnectionState.Broken)
            _state = ConnectionState.Closed;
        Break(new ReqlConnectionError($"The connection to {Endpoint} was closed by this client.", querySent: false));
        await _reader;
        await _output.DisposeAsync();
        _lifetime.Dispose();
    }
}
