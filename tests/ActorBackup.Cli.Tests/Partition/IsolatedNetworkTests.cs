using System.Net;
using System.Net.Sockets;
using ActorBackup.Sandbox.Processes;
using ActorBackup.Testing.Network;

namespace ActorBackup.Cli.Tests.Partition;

/// <summary>The namespaces, bridge and DROP rules the partition test relies on, probed with TCP connects from inside the namespaces.</summary>
public sealed class IsolatedNetworkTests
{
    // Any port: nothing else listens in a namespace just made.
    private const int Port = 7070;

    [Fact]
    public async Task A_partition_cuts_the_namespaces_apart_but_leaves_the_host_reachable_and_healing_joins_them_again()
    {
        await using var network = await IsolatedNetwork.CreateAsync("a", "b");
        var (a, b) = (network.Namespaces[0], network.Namespaces[1]);
        using var host = new TcpListener(IPAddress.Parse(network.HostAddress), 0);
        host.Start();
        var hostPort = ((IPEndPoint)host.LocalEndpoint).Port;
        using var listener = await Listen(b);

        Assert.True(await Connects(a, b.Address, Port), "a reaches b");
        await network.PartitionAsync(a, b);
        Assert.False(await Connects(a, b.Address, Port), "a still reaches b during the partition");
        Assert.True(await Connects(a, network.HostAddress, hostPort), "a lost the host during the partition");
        Assert.True(await Connects(b, network.HostAddress, hostPort), "b lost the host during the partition");
        await network.HealAsync();
        Assert.True(await Connects(a, b.Address, Port), "a does not reach b after healing");
    }

    [Fact]
    public async Task Cutting_a_namespace_off_from_a_host_port_leaves_its_other_paths_open_and_healing_restores_it()
    {
        await using var network = await IsolatedNetwork.CreateAsync("a", "b");
        var (a, b) = (network.Namespaces[0], network.Namespaces[1]);
        using var source = new TcpListener(IPAddress.Parse(network.HostAddress), 0);
        source.Start();
        var sourcePort = ((IPEndPoint)source.LocalEndpoint).Port;
        using var other = new TcpListener(IPAddress.Parse(network.HostAddress), 0);
        other.Start();
        var otherPort = ((IPEndPoint)other.LocalEndpoint).Port;
        using var listener = await Listen(a);

        await network.CutOffFromHostPortAsync(a, sourcePort);
        Assert.False(await Connects(a, network.HostAddress, sourcePort), "a still reaches the cut host port");
        Assert.True(await Connects(a, network.HostAddress, otherPort), "a lost the host's other ports");
        Assert.True(await Connects(b, network.HostAddress, sourcePort), "b lost the host port cut off from a");
        Assert.True(await ConnectsFromHost(a.Address, Port), "the host no longer reaches a");
        await network.HealAsync();
        Assert.True(await Connects(a, network.HostAddress, sourcePort), "a does not reach the host port after healing");
    }

    [Fact]
    public async Task Creating_a_network_removes_a_namespace_left_by_a_test_process_that_is_gone()
    {
        // A process id above the kernel's largest (4194304): no such process can be running.
        const string leftover = "abnfffffffx1-a";
        await RunAsync("ip", "netns", "add", leftover);

        await using var network = await IsolatedNetwork.CreateAsync("a");

        var (_, namespaces) = await ProcessRunner.RunAsync("ip", ["netns", "list"], Path.GetTempPath(), TimeSpan.FromSeconds(10));
        Assert.DoesNotContain(leftover, namespaces);
        Assert.Contains(network.Namespaces[0].Name, namespaces);
    }

    [Fact]
    public async Task Disposing_a_network_removes_its_namespaces_veths_and_bridge_even_with_a_connection_open_across_them()
    {
        var network = await IsolatedNetwork.CreateAsync("a", "b");
        var (a, b) = (network.Namespaces[0], network.Namespaces[1]);
        using (await Listen(b))
            Assert.True(await Connects(a, b.Address, Port), "a reaches b");

        await network.DisposeAsync();

        var (_, namespaces) = await ProcessRunner.RunAsync("ip", ["netns", "list"], Path.GetTempPath(), TimeSpan.FromSeconds(10));
        var (_, links) = await ProcessRunner.RunAsync("ip", ["-o", "link", "show"], Path.GetTempPath(), TimeSpan.FromSeconds(10));
        Assert.DoesNotContain(network.Name, namespaces);
        Assert.DoesNotContain(network.Name, links);
    }

    // A TCP listener inside the namespace: Node.js is there for reqlite anyway.
    private static async Task<ProcessHandle> Listen(NetworkNamespace ns)
    {
        var start = ns.StartInfo("node", ["-e", $"require('net').createServer(s => s.end()).listen({Port}, '{ns.Address}', () => console.log('listening'))"], Path.GetTempPath());
        start.RedirectStandardOutput = true;
        start.UseShellExecute = false;
        var handle = new ProcessHandle(System.Diagnostics.Process.Start(start) ?? throw new InvalidOperationException("could not start node"));
        var line = await handle.Process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal("listening", line);
        return handle;
    }

    // A silent drop shows as a connect that does not finish, so the probe gives up after two seconds.
    private static async Task<bool> Connects(NetworkNamespace from, string address, int port)
    {
        var probe = $"const s = require('net').connect({port}, '{address}', () => process.exit(0)); s.on('error', () => process.exit(1)); setTimeout(() => process.exit(2), 2000)";
        var (code, _) = await ProcessRunner.RunAsync("ip", ["netns", "exec", from.Name, "node", "-e", probe], Path.GetTempPath(), TimeSpan.FromSeconds(20));
        return code == 0;
    }

    private static async Task<bool> ConnectsFromHost(string address, int port)
    {
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync(IPAddress.Parse(address), port).WaitAsync(TimeSpan.FromSeconds(2));
            return true;
        }
        catch (Exception e) when (e is SocketException or TimeoutException)
        {
            return false;
        }
    }

    private static async Task RunAsync(string program, params string[] args)
    {
        var (code, output) = await ProcessRunner.RunAsync(program, args, Path.GetTempPath(), TimeSpan.FromSeconds(10));
        Assert.True(code == 0, $"{program} {string.Join(' ', args)}: {output}");
    }

    private sealed class ProcessHandle(System.Diagnostics.Process process) : IDisposable
    {
        public System.Diagnostics.Process Process => process;

        public void Dispose()
        {
            if (!process.HasExited)
                process.Kill(entireProcessTree: true);
            process.WaitForExit(10_000);
            process.Dispose();
        }
    }
}
