using System.Net;
using System.Net.Sockets;
using ActorBackup.Cluster.Node;
using ActorBackup.Cluster.Settings;
using ActorBackup.Testing;
using Akka.Cluster;
using Akka.Configuration;
using AkkaCluster = Akka.Cluster.Cluster;

namespace ActorBackup.Cluster.Tests.Node;

public sealed class BackupNodeStartSpec : IDisposable
{
    private readonly TestNodeFiles _files = new();

    public void Dispose() => _files.Dispose();

    private NodeConfiguration Configuration(int port, int adminPort) =>
        NodeConfiguration.FromConfig(ConfigurationFactory.ParseString(_files.NodeHocon("solo", "eu-west", port, adminPort, port)), "solo");

    [Fact]
    public async Task A_started_node_runs_without_any_downing_provider()
    {
        await using var node = BackupNode.Start(Configuration(FreePort.Next(), FreePort.Next()));

        Assert.Equal(typeof(NoDowning), AkkaCluster.Get(node.System).Settings.DowningProviderType);
    }

    [Fact]
    public void An_admin_endpoint_already_in_use_stops_the_start_with_one_line()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var adminPort = ((IPEndPoint)taken.LocalEndpoint).Port;

        var e = Assert.Throws<BackupSettingsException>(() => BackupNode.Start(Configuration(FreePort.Next(), adminPort)));

        Assert.StartsWith($"actorbackup.admin.endpoint: cannot listen on 127.0.0.1:{adminPort}: ", e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void A_cluster_port_already_in_use_stops_the_start_with_one_line()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;

        var e = Assert.Throws<BackupSettingsException>(() => BackupNode.Start(Configuration(port, FreePort.Next())));

        Assert.StartsWith($"akka.remote.dot-netty.tcp: cannot listen on 127.0.0.1:{port}: ", e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }
}
