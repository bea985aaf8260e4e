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
}
