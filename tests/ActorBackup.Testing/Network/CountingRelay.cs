using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace ActorBackup.Testing.Network;

/// <summary>
/// A TCP relay in front of a source that counts what crosses it: bytes each way, connections, and the query frames
/// the client sends (START, CONTINUE, STOP), read from the ReQL wire format after the V1_0 handshake (a 4-byte magic
/// number and two NUL-terminated SCRAM messages, then frames of an 8-byte token, a 4-byte length and the JSON), with
/// the JSON of every query started, so that a test can see what the source was asked to read.
/// </summary>
public sealed class CountingRelay : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly string _targetHost;
    private readonly int _targetPort;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<(TcpClient Client, TcpClient Server)> _open = [];
    private readonly Task _accepting;
    private readonly List<string> _started = [];
    private long _fromSource, _toSource, _starts, _continues, _opened;
    private volatile bool _held;

    public CountingRelay(string targetHost, int targetPort)
    {
        _targetHost = targetHost;
        _targetPort = targetPort;
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public string Endpoint => $"127.0.0.1:{Port}";

    public long BytesFromSource => Interlocked.Read(ref _fromSource);

    public long BytesToSource => Interlocked.Read(ref _toSource);

    /// <summary>Queries started (START frames).</summary>
    public long Starts => Interlocked.Read(ref _starts);

    /// <summary>Further batches asked for (CONTINUE frames).</summary>
    public long Continues => Interlocked.Read(ref _continues);

    public long ConnectionsOpened => Interlocked.Read(ref _opened);

    /// <summary>The JSON of every query started so far (START frames), in the order the client sent them.</summary>
    public IReadOnlyList<string> StartedQueries
    {
        get
        {
            lock (_started) return [.. _started];
        }
    }

    public int OpenConnections
    {
        get
        {
            lock (_open) return _open.Count;
        }
    }

    /// <summary>Closes every relayed connection at once, as a source restart or a network cut would.</summary>
    public void DropAll()
    {
        lock (_open)
        {
            foreach (var (client, server) in _open)
            {
                client.Client.LingerState = new LingerOption(true, 0);
                client.Dispose();
                server.Dispose();
            }
            _open.Clear();
        }
    }

    /// <summary>Closes every relayed connection and refuses new ones until <see cref="Release"/>: the source is unreachable.</summary>
    public void Hold()
    {
        _held = true;
        DropAll();
    }

    /// <summary>Relays new connections again after <see cref="Hold"/>.</summary>
    public void Release() => _held = false;

    private async Task AcceptAsync()
    {
        try
        {
            while (true)
            {
                var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                if (_held)
                {
                    client.Client.LingerState = new LingerOption(true, 0);
                    client.Dispose();
                    continue;
                }
                var server = new TcpClient();
                await server.ConnectAsync(_targetHost, _targetPort, _stop.Token);
                Interlocked.Increment(ref _opened);
                lock (_open) _open.Add((client, server));
                _ = RelayAsync(client, server);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
        {
            // Stopped.
        }
    }

    private async Task RelayAsync(TcpClient client, TcpClient server)
    {
        var up = PumpAsync(client.GetStream(), server.GetStream(), new FrameCounter(this), toSource: true);
        var down = PumpAsync(server.GetStream(), client.GetStream(), null, toSource: false);
        await Task.WhenAny(up, down);
        lock (_open) _open.Remove((client, server));
        client.Dispose();
        server.Dispose();
    }

    private async Task PumpAsync(Stream from, Stream to, FrameCounter? frames, bool toSource)
    {
        var buffer = new byte[64 * 1024];
        try
        {
            int read;
            while ((read = await from.ReadAsync(buffer, _stop.Token)) > 0)
            {
                Interlocked.Add(ref toSource ? ref _toSource : ref _fromSource, read);
                frames?.Feed(buffer.AsSpan(0, read));
                await to.WriteAsync(buffer.AsMemory(0, read), _stop.Token);
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or OperationCanceledException or SocketException)
        {
            // One side closed: the relay closes the other.
        }
    }

    /// <summary>Follows the client's byte stream through the handshake and then frame by frame.</summary>
    private sealed class FrameCounter(CountingRelay relay)
    {
        private int _magicLeft = 4;
        private int _handshakeMessagesLeft = 2;
        private readonly byte[] _header = new byte[12];
        private int _headerFilled;
        private long _bodyLeft;
        private long _bodyOffset;
        private MemoryStream? _startBody;

        public void Feed(ReadOnlySpan<byte> data)
        {
            while (!data.IsEmpty)
            {
                if (_magicLeft > 0)
                {
                    var n = Math.Min(_magicLeft, data.Length);
                    _magicLeft -= n;
                    data = data[n..];
                }
                else if (_handshakeMessagesLeft > 0)
                {
                    var nul = data.IndexOf((byte)0);
                    if (nul < 0)
                        return;
                    _handshakeMessagesLeft--;
                    data = data[(nul + 1)..];
                }
                else if (_bodyLeft == 0)
                {
                    var n = Math.Min(12 - _headerFilled, data.Length);
                    data[..n].CopyTo(_header.AsSpan(_headerFilled));
                    _headerFilled += n;
                    data = data[n..];
                    if (_headerFilled < 12)
                        return;
                    _headerFilled = 0;
                    _bodyLeft = BinaryPrimitives.ReadUInt32LittleEndian(_header.AsSpan(8));
                    _bodyOffset = 0;
                }
                else
                {
                    var n = (int)Math.Min(_bodyLeft, data.Length);
                    if (_bodyOffset == 0) _startBody = new MemoryStream();
                    // "[1," START, "[2" CONTINUE: the query type is the frame's second byte.
                    if (_bodyOffset <= 1 && 1 < _bodyOffset + n)
                    {
                        var type = data[(int)(1 - _bodyOffset)];
                        if (type == (byte)'1') Interlocked.Increment(ref relay._starts);
                        else if (type == (byte)'2') Interlocked.Increment(ref relay._continues);
                        if (type != (byte)'1') _startBody = null;
                    }
                    _startBody?.Write(data[..n]);
                    _bodyOffset += n;
                    _bodyLeft -= n;
                    data = data[n..];
                    if (_bodyLeft == 0 && _startBody is not null)
                    {
                        lock (relay._started) relay._started.Add(System.Text.Encoding.UTF8.GetString(_startBody.GetBuffer(), 0, (int)_startBody.Length));
                        _startBody = null;
                    }
                }
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        DropAll();
        await _accepting;
        _stop.Dispose();
    }
}
