using System.Globalization;

namespace ActorBackup.Sandbox.Processes;

/// <summary>
/// TCP sockets as the kernel lists them (/proc/net/tcp and tcp6, what <c>ss</c> reads): established connections to a
/// port, optionally only those a given process holds, and whether a process listens on a port. Linux only.
/// </summary>
public static class TcpConnections
{
    private const string Established = "01";
    private const string Listen = "0A";

    /// <summary>Established connections whose remote end is <paramref name="port"/>, held by <paramref name="processId"/> if given.</summary>
    public static int To(int port, int? processId = null)
    {
        var held = processId is { } pid ? SocketInodes(pid) : null;
        return Sockets(Established, remoteEnd: true, port).Count(inode => held is null || held.Contains(inode));
    }

    /// <summary>Whether <paramref name="processId"/> holds a socket listening on the local <paramref name="port"/>.</summary>
    public static bool Listens(int port, int processId)
    {
        var held = SocketInodes(processId);
        return Sockets(Listen, remoteEnd: false, port).Any(held.Contains);
    }

    /// <summary>The inodes of sockets in <paramref name="state"/> whose local (or remote) end is <paramref name="port"/>.</summary>
    private static IEnumerable<string> Sockets(string state, bool remoteEnd, int port)
    {
        foreach (var table in new[] { "/proc/net/tcp", "/proc/net/tcp6" })
        {
            if (!File.Exists(table))
                continue;
            foreach (var line in File.ReadLines(table).Skip(1))
            {
                // sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode
                var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (fields.Length < 10 || fields[3] != state)
                    continue;
                var end = fields[remoteEnd ? 2 : 1];
                if (int.Parse(end[(end.LastIndexOf(':') + 1)..], NumberStyles.HexNumber, CultureInfo.InvariantCulture) == port)
                    yield return fields[9];
            }
        }
    }

    /// <summary>The inodes of the sockets a process has open ("socket:[inode]" links under /proc/pid/fd).</summary>
    private static HashSet<string> SocketInodes(int processId)
    {
        var inodes = new HashSet<string>(StringComparer.Ordinal);
        string[] descriptors;
        try
        {
            descriptors = Directory.GetFiles($"/proc/{processId}/fd");
        }
        catch (Exception e) when (e is DirectoryNotFoundException or UnauthorizedAccessException or IOException)
        {
            return inodes;
        }
        foreach (var fd in descriptors)
        {
            string? target;
            try
            {
                target = new FileInfo(fd).LinkTarget;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Closed between the listing and the read: it holds nothing any more.
                continue;
            }
            if (target is not null && target.StartsWith("socket:[", StringComparison.Ordinal))
                inodes.Add(target[8..^1]);
        }
        return inodes;
    }
}
