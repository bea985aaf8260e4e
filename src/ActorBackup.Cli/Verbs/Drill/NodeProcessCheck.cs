using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using ActorBackup.Sandbox.Processes;
using Akka.Configuration;

namespace ActorBackup.Cli.Verbs.Drill;

/// <summary>
/// Whether a pid the cluster's status names is, on this machine, the backup node at that address: its command line
/// (/proc/PID/cmdline) runs `actorbackup node --config FILE`, and FILE, read from the process's working directory, makes
/// it listen on the address's port, the address's host is this machine's, and the kernel shows the process holding a
/// socket listening on that port. The pid comes from a node's report; the drill kills nothing on that word alone.
/// </summary>
internal static class NodeProcessCheck
{
    private static bool IsThisMachine(string host)
    {
        if (host.Equals("localhost", StringComparison.OrdinalIgnoreCase))
            return true;
        if (!IPAddress.TryParse(host.Trim('[', ']'), out var ip))
        {
            try
            {
                return Dns.GetHostAddresses(host).Any(IsLocal);
            }
            catch (SocketException)
            {
                return false;
            }
        }
        return IsLocal(ip);
    }

    private static bool IsLocal(IPAddress ip) =>
        IPAddress.IsLoopback(ip)
        || NetworkInterface.GetAllNetworkInterfaces().SelectMany(n => n.GetIPProperties().UnicastAddresses).Any(a => a.Address.Equals(ip));

    /// <summary>Null when <paramref name="pid"/> is the node at <paramref name="address"/>; else why not, in a few words.</summary>
    public static string? WhyNot(int pid, string address)
    {
        string[] args;
        string cwd;
        try
        {
            args = File.ReadAllText($"/proc/{pid}/cmdline").Split('\0', StringSplitOptions.RemoveEmptyEntries);
            cwd = new DirectoryInfo($"/proc/{pid}/cwd").ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? "/";
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return $"no process {pid} this user may inspect runs on this machine ({e.Message})";
        }
        var verb = Array.FindIndex(args, a => Path.GetFileName(a) is "actorbackup.dll" or "actorbackup");
        if (verb < 0 || verb + 1 >= args.Length || args[verb + 1] != "node")
            return $"pid {pid} is not an `actorbackup node` process (it runs: {string.Join(' ', args)})";
        var option = Array.IndexOf(args, "--config", verb);
        if (option < 0 || option + 1 >= args.Length)
            return $"pid {pid} runs `actorbackup node` without --config, so which node it is cannot be told";
        var file = Path.Combine(cwd, args[option + 1]);
        int port;
        try
        {
            port = ConfigurationFactory.ParseString(File.ReadAllText(file), _ => new Akka.Configuration.Hocon.HoconRoot(new Akka.Configuration.Hocon.HoconValue()))
                .GetInt("akka.remote.dot-netty.tcp.port", -1);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ConfigurationException or FormatException)
        {
            return $"pid {pid} is a backup node whose configuration {file} cannot be read here: {e.Message.Split('\n')[0]}";
        }
        if (!Uri.TryCreate(address, UriKind.Absolute, out var uri) || uri.Port != port)
            return $"pid {pid} is the backup node of {file}, which listens on port {port}, not {address}";
        if (!IsThisMachine(uri.Host))
            return $"{uri.Host} is not an address of this machine, so pid {pid} here cannot be the node at {address}";
        // The file may have changed since the process read it: the kernel says which port the process holds.
        if (!TcpConnections.Listens(port, pid))
            return $"pid {pid} holds no socket listening on port {port}, so it is not the node at {address}";
        return null;
    }
}
