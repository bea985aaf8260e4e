using System.Net;
using System.Net.Sockets;

namespace ActorBackup.Testing;

/// <summary>Finds TCP ports nobody listens on, for servers the tests start.</summary>
public static class FreePort
{
    /// <summary>A loopback port that was free a moment ago (the OS picks it from its ephemeral range).</summary>
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    /// <summary>Waits until something accepts TCP connections on the port, or throws with the reason.</summary>
    public static async Task WaitUntilListeningAsync(string host, int port, TimeSpan timeout, Func<string?>? whyNot = null)
    {
        var deadline = DateTime.UtcNow + timeout;
        Exception? last = null;
        while (DateTime.UtcNow < deadline)
        {
            var failure = whyNot?.Invoke();
            if (failure is not null)
                throw new InvalidOperationException(failure);
            try
            {
                using var client = new TcpClient();
                using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(1));
                await client.ConnectAsync(host, port, cts.Token);
                return;
            }
            catch (Exception e) when (e is SocketException or OperationCanceledException)
            {
                last = e;
                await Task.Delay(50);
            }
        }
        throw new TimeoutException($"Nothing accepted connections on {host}:{port} within {timeout.TotalSeconds:0} s ({last?.Message}).");
    }
}
