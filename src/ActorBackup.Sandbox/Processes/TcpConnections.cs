using System.Globalization;

namespace ActorBackup.Sandbox.Processes;

/// <summary>
/// Established TCP connections to a local port as the kernel lists them (/proc/net/tcp and tcp6, what <c>ss</c> reads),
/// optionally only those whose socket a given process holds. Linux only.
/// </summary>
public static class TcpConnections
{
    private const string Established = "01";

    /// <summary>Established connections whose remote end is <paramref name="port"/>, held by <paramref name="processId"/> if given.</summary>
    public static int To(int port, int? processId = null)
    {
        var held = processId is { } pid ? SocketInodes(pid) : null;
        var count = 0;
        foreach (var table in new[] { "/proc/net/tcp", "/proc/net/tcp6" })
        {
            if (!File.Exists(table))
                continue;
            foreach (var line in File.ReadLines(table).Skip(1))
            {
                // sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode
                var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (fields.Length < 10 || fields[3] != Established)
                    continue;
                var remote = fields[2];
                if (int.Parse(remote[(remote.LastIndexOf(':') + 1)..], NumberStyles.HexNumber, CultureInfo.InvariantCulture) != port)
                    continue;
                if (held is null || held.Contains(fields[9]))
                    count++;
            }
        }
        return count;
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
