using System.Net;
using System.Net.Sockets;

namespace ActorBackup.Cli.Verbs.Demo;

/// <summary>Free loopback ports for the demo's backup nodes.</summary>
internal static class LocalPorts
{
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
