using System.Net;
using System.Net.Sockets;

namespace ActorBackup.Recovery.Tests.Dump;

/// <summary>
/// A loopback TCP forwarder in front of a server that can drop one connection for real: once armed, the first
/// connection whose server-to-client traffic passes a byte count is reset in the middle of a response.
/// </summary>
internal sealed class CuttingProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly string _upstreamHost;
    private readonly int _upstreamPort;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;
    private long _cutAfter = long.MaxValue;
    private int _cuts;

    public CuttingProxy(string upstreamHost, int upstreamPort)
    {
        _upstreamHost = upstreamHost;
        _upstreamPort = upstreamPort;
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public string Endpoint => $"127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";

    /// <summary>Connections cut so far.</summary>
    public int Cuts => Volatile.Read(ref _cuts);

    /// <summary>Cuts the next connection that sends more than <paramref name="bytes"/> to its client (once).</summary>
    public void CutOnceAfterServerBytes(long bytes) => Interlocked.Exchange(ref _cutAfter, bytes);

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptSocketAsync(_stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            _ = ForwardAsync(client);
        }
    }

    private async Task ForwardAsync(Socket client)
    {
        using var server = new Socket(SocketType.Stream, ProtocolType.Tcp);
        using (client)
        {
            await server.ConnectAsync(_upstreamHost, _upstreamPort, _stop.Token);
            var up = PumpAsync(client, server, cuttable: false);
            var down = PumpAsync(server, client, cuttable: true);
            await Task.WhenAny(up, down);
            client.Close(0);
            server.Close(0);
            await Task.WhenAll(up, down);
        }
    }

    private async Task PumpAsync(Socket from, Socket to, bool cuttable)
    {
        var buffer = new byte[16 * 1024];
        long sent = 0;
        try
        {
            while (true)
            {
                var n = await from.ReceiveAsync(buffer, SocketFlags.None, _stop.Token);
                if (n == 0)
                    return;
                if (cuttable)
                {
                    var limit = Interlocked.Read(ref _cutAfter);
                    if (sent + n > limit && Interlocked.CompareExchange(ref _cutAfter, long.MaxValue, limit) == limit)
                    {
                        await to.SendAsync(buffer.AsMemory(0, (int)(limit - sent)), SocketFlags.None);
                        Interlocked.Increment(ref _cuts);
                        to.LingerState = new LingerOption(true, 0);
                        return;
                    }
                }
                await to.SendAsync(buffer.AsMemory(0, n), SocketFlags.None);
                sent += n;
            }
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The other direction closed the sockets: this pump is done either way.
        }
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Stop();
        await _accepting;
        _stop.Dispose();
    }
}
