using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;

namespace ActorBackup.Testing.Tls;

/// <summary>
/// A TLS-terminating relay in front of a plain server (reqlite has no TLS): it accepts TLS on a loopback port with the
/// given certificate and relays each connection's bytes to and from <c>target</c>, as a RethinkDB started with
/// <c>--driver-tls-cert</c> would look to a client.
/// </summary>
public sealed class TlsRelay : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly X509Certificate2 _certificate;
    private readonly string _targetHost;
    private readonly int _targetPort;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _connections = [];
    private readonly Task _accepting;
    private long _bytesToTarget;

    public TlsRelay(X509Certificate2 certificate, string targetHost, int targetPort)
    {
        _certificate = certificate;
        _targetHost = targetHost;
        _targetPort = targetPort;
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public string Host => "127.0.0.1";

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public string Endpoint => $"{Host}:{Port}";

    /// <summary>Bytes clients sent through to the target: none from a client that refused the relay's certificate.</summary>
    public long BytesToTarget => Interlocked.Read(ref _bytesToTarget);

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptSocketAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }
            lock (_connections) _connections.Add(RelayAsync(client));
        }
    }

    private async Task RelayAsync(Socket client)
    {
        using var clientSocket = client;
        await using var tls = new SslStream(new NetworkStream(client, ownsSocket: false));
        try
        {
            await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = _certificate }, _stop.Token);
        }
        catch (Exception e) when (e is IOException or System.Security.Authentication.AuthenticationException or OperationCanceledException)
        {
            // The client refused our certificate (what the refusal tests want) or went away.
            return;
        }
        using var target = new TcpClient();
        try
        {
            await target.ConnectAsync(_targetHost, _targetPort, _stop.Token);
            var upstream = target.GetStream();
            using var done = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
            var up = CountedCopyAsync(tls, upstream, done.Token);
            var down = upstream.CopyToAsync(tls, done.Token);
            await Task.WhenAny(up, down);
            await done.CancelAsync();
            await Task.WhenAll(Observe(up), Observe(down));
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // One side closed or reset: the relay of this connection ends with it.
        }
    }

    private async Task CountedCopyAsync(Stream from, Stream to, CancellationToken ct)
    {
        var buffer = new byte[16 * 1024];
        int read;
        while ((read = await from.ReadAsync(buffer, ct)) > 0)
        {
            Interlocked.Add(ref _bytesToTarget, read);
            await to.WriteAsync(buffer.AsMemory(0, read), ct);
        }
    }

    private static async Task Observe(Task copy)
    {
        try
        {
            await copy;
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // Ended by the other direction closing or by cancellation: nothing left to relay.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
        Task[] open;
        lock (_connections) open = _connections.ToArray();
        await Task.WhenAll(open);
        _stop.Dispose();
    }
}
