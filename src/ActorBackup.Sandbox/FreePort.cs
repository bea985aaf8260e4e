using System.Net;
using System.Net.Sockets;

namespace ActorBackup.Sandbox;

/// <summary>TCP ports nobody listens on, for the servers and nodes started on this machine.</summary>
public static class FreePort
{
    /// <summary>A loopback port that was free a moment ago (the OS picks it from its ephemeral range).</summary>
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>A free loopback port above <paramref name="floor"/>.</summary>
    public static int Above(int floor)
    {
        while (true)
        {
            var port = Next();
            if (port > floor)
                return port;
        }
    }
}
