using System.Globalization;
using System.Text.RegularExpressions;

namespace ActorBackup.Testing.Network;

/// <summary>
/// Network namespaces joined by veth pairs to a bridge in the host's namespace (10.77.N.0/24, the host at .1), so
/// that processes in different namespaces talk over real TCP and can be partitioned with iptables DROP rules while
/// each still reaches servers on the host. Needs root, iproute2 and iptables; a setup that cannot be made fails with
/// the command and its output. Everything is named "abn&lt;pid&gt;x&lt;n&gt;…", so the leftovers of a test process
/// that died before its dispose are found and removed by the next one.
/// </summary>
public sealed partial class IsolatedNetwork : IAsyncDisposable
{
    private const string Prefix = "abn";
    private const string Subnet = "10.77";
    // One setup at a time in a process: two networks must not pick the same free subnet.
    private static readonly SemaphoreSlim Setup = new(1, 1);
    private static int _created;

    private readonly string _stem;
    private readonly int _subnet;
    private readonly List<NetworkNamespace> _namespaces = [];
    private readonly List<string> _veths = [];
    private readonly List<(NetworkNamespace In, string[] Rule)> _drops = [];
    private bool _bridge;

    private IsolatedNetwork(string stem, int subnet)
    {
        _stem = stem;
        _subnet = subnet;
    }

    /// <summary>The name every namespace and link of this network starts with.</summary>
    public string Name => _stem;

    /// <summary>The host's address on the bridge: where processes in the namespaces reach servers started by the test.</summary>
    public string HostAddress => $"{Subnet}.{_subnet}.1";

    public IReadOnlyList<NetworkNamespace> Namespaces => _namespaces;

    private string Bridge => _stem + "br";

    /// <summary>Creates one namespace per label (short letters or digits), each with its own address on a new bridge.</summary>
    public static async Task<IsolatedNetwork> CreateAsync(params string[] labels)
    {
        await Setup.WaitAsync();
        try
        {
            await RemoveLeftoversAsync();
            var number = ++_created;
            var network = new IsolatedNetwork($"{Prefix}{Environment.ProcessId:x}x{number:x}", await FreeSubnetAsync(number));
            try
            {
                await network.SetUpAsync(labels);
                return network;
            }
            catch
            {
                await network.DisposeAsync();
                throw;
            }
        }
        finally
        {
            Setup.Release();
        }
    }

    /// <summary>Drops every packet between the two namespaces, both ways, at each one's input: a silent partition (no resets, no errors).</summary>
    public async Task PartitionAsync(NetworkNamespace a, NetworkNamespace b)
    {
        foreach (var (into, from) in new[] { (a, b), (b, a) })
            await DropAsync(into, "INPUT", "-s", from.Address);
    }

    /// <summary>
    /// Drops every packet between the namespace and one TCP port of the host (a server the test started, such as the
    /// source), both ways, inside the namespace: the host stays reachable on every other port, so the test still
    /// reads the namespace's admin endpoint.
    /// </summary>
    public async Task CutOffFromHostPortAsync(NetworkNamespace ns, int port)
    {
        var portText = port.ToString(CultureInfo.InvariantCulture);
        await DropAsync(ns, "OUTPUT", "-d", HostAddress, "-p", "tcp", "--dport", portText);
        await DropAsync(ns, "INPUT", "-s", HostAddress, "-p", "tcp", "--sport", portText);
    }

    /// <summary>Removes every partition and cut-off rule: packets flow again.</summary>
    public async Task HealAsync()
    {
        foreach (var (into, rule) in _drops.ToArray())
        {
            await NetworkCommand.RunInAsync(into.Name, "iptables", ["-w", "-D", .. rule]);
            _drops.Remove((into, rule));
        }
    }

    private async Task DropAsync(NetworkNamespace into, string chain, params string[] match)
    {
        string[] rule = [chain, .. match, "-j", "DROP"];
        await NetworkCommand.RunInAsync(into.Name, "iptables", ["-w", "-A", .. rule]);
        _drops.Add((into, rule));
    }

    /// <summary>
    /// Deletes the veth pairs, the namespaces (their rules go with them) and the bridge. Stop the processes running
    /// in the namespaces first. Throws, after trying everything, if something could not be removed.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        var failures = new List<string>();
        // Explicitly, not with the namespaces: the kernel keeps a deleted namespace, and its end of the pair, alive
        // while sockets of killed processes in it still retransmit their FIN.
        foreach (var veth in _veths)
            await TryAsync(failures, "ip", "link", "delete", veth);
        _veths.Clear();
        foreach (var ns in _namespaces)
            await TryAsync(failures, "ip", "netns", "delete", ns.Name);
        _namespaces.Clear();
        if (_bridge)
            await TryAsync(failures, "ip", "link", "delete", Bridge);
        _bridge = false;
        if (failures.Count > 0)
            throw new NetworkSetupException("the isolated network was not fully removed: " + string.Join("; ", failures));
    }

    private async Task SetUpAsync(IReadOnlyList<string> labels)
    {
        await NetworkCommand.RunAsync("ip", "link", "add", Bridge, "type", "bridge");
        _bridge = true;
        await NetworkCommand.RunAsync("ip", "addr", "add", $"{HostAddress}/24", "dev", Bridge);
        await NetworkCommand.RunAsync("ip", "link", "set", Bridge, "up");
        for (var i = 0; i < labels.Count; i++)
        {
            var ns = new NetworkNamespace($"{_stem}-{labels[i]}", $"{Subnet}.{_subnet}.{10 + i}");
            await NetworkCommand.RunAsync("ip", "netns", "add", ns.Name);
            _namespaces.Add(ns);
            var hostSide = $"{_stem}v{i}";
            var inside = $"{_stem}p{i}";
            await NetworkCommand.RunAsync("ip", "link", "add", hostSide, "type", "veth", "peer", "name", inside);
            _veths.Add(hostSide);
            await NetworkCommand.RunAsync("ip", "link", "set", inside, "netns", ns.Name);
            await NetworkCommand.RunAsync("ip", "link", "set", hostSide, "master", Bridge);
            await NetworkCommand.RunAsync("ip", "link", "set", hostSide, "up");
            await NetworkCommand.RunInAsync(ns.Name, "ip", "link", "set", inside, "name", "eth0");
            await NetworkCommand.RunInAsync(ns.Name, "ip", "addr", "add", $"{ns.Address}/24", "dev", "eth0");
            await NetworkCommand.RunInAsync(ns.Name, "ip", "link", "set", "eth0", "up");
            await NetworkCommand.RunInAsync(ns.Name, "ip", "link", "set", "lo", "up");
        }
    }

    // Starts from an offset per process and network, so that two test processes setting up at once rarely pick the
    // same subnet, and a network does not reuse the subnet of one just removed.
    private static async Task<int> FreeSubnetAsync(int number)
    {
        var (_, addresses) = await NetworkCommand.RunForOutputAsync("ip", "-o", "-4", "addr", "show");
        for (var k = 0; k < 254; k++)
        {
            var candidate = 1 + (Environment.ProcessId + number + k) % 254;
            if (!addresses.Contains($" {Subnet}.{candidate}.", StringComparison.Ordinal))
                return candidate;
        }
        throw new NetworkSetupException($"every subnet {Subnet}.1-254.0/24 is in use on this host");
    }

    private static async Task RemoveLeftoversAsync()
    {
        var (_, namespaces) = await NetworkCommand.RunForOutputAsync("ip", "netns", "list");
        foreach (var name in Names(namespaces, NamespaceLine()).Where(IsOrphan))
            await NetworkCommand.RunAsync("ip", "netns", "delete", name);
        var (_, links) = await NetworkCommand.RunForOutputAsync("ip", "-o", "link", "show");
        foreach (var name in Names(links, LinkLine()).Where(IsOrphan))
            await NetworkCommand.RunAsync("ip", "link", "delete", name);
    }

    private static IEnumerable<string> Names(string listing, Regex line) =>
        listing.Split('\n').Select(l => line.Match(l)).Where(m => m.Success).Select(m => m.Groups["name"].Value).Distinct().ToArray();

    // Only names of a test process that is gone: a run going on in parallel keeps its network.
    private static bool IsOrphan(string name)
    {
        var match = OwnName().Match(name);
        return match.Success
            && int.TryParse(match.Groups["pid"].Value, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var pid)
            && pid != Environment.ProcessId
            && !Directory.Exists($"/proc/{pid}");
    }

    private static async Task TryAsync(List<string> failures, string program, params string[] args)
    {
        var (code, output) = await NetworkCommand.RunForOutputAsync(program, args);
        if (code != 0)
            failures.Add($"`{program} {string.Join(' ', args)}`: {output.Trim()}");
    }

    [GeneratedRegex(@"^(?<name>abn[0-9a-f]+x[0-9a-f]+\S*?)(\s|$)")]
    private static partial Regex NamespaceLine();

    [GeneratedRegex(@"^\d+:\s+(?<name>abn[0-9a-f]+x[0-9a-f]+[^@:\s]*)")]
    private static partial Regex LinkLine();

    [GeneratedRegex(@"^abn(?<pid>[0-9a-f]+)x")]
    private static partial Regex OwnName();
}
