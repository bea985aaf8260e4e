using System.Net.Http;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using ActorBackup.Admin.Contract.Status;
using ActorBackup.Certificates;
using ActorBackup.Cluster.Node;
using ActorBackup.Sandbox;
using ActorBackup.Sandbox.Nodes;
using Akka.Actor;
using Akka.Actor.Setup;
using Akka.Configuration;
using Akka.Remote.Transport.DotNetty;
using AkkaCluster = Akka.Cluster.Cluster;

namespace ActorBackup.Cluster.Tests.Node;

/// <summary>
/// Three nodes in one process speaking mutual TLS with certificates of one CA (as `certs init` writes them), R = 2;
/// beside them processes that try to join the seed: one with a self-signed certificate, one with a certificate of
/// another CA, one without TLS (all three accepting any certificate the seed presents, the most a rogue can do), and
/// a fourth legitimate node certified later (`certs issue`). The rogues never become members and own nothing.
/// </summary>
public sealed class MutualTlsSpec() : DilatedTestKit(), IAsyncLifetime
{
    private readonly TestNodeFiles _files = new();
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };
    private readonly List<BackupNode> _nodes = [];
    private readonly List<ActorSystem> _rogues = [];
    private int _seedPort;

    private CertificateDirectory Certificates => new(Path.Combine(_files.Root, "certs"));

    public Task InitializeAsync()
    {
        Certificates.Init("test", new[] { "n1", "n2", "n3" }.Select(n => new NodeName(n, ["127.0.0.1"])).ToArray(), TimeSpan.FromDays(1), null);
        _seedPort = FreePort.Next();
        string[] regions = ["eu-west", "eu-west", "us-east"];
        for (var i = 0; i < 3; i++)
            _nodes.Add(StartNode($"n{i + 1}", regions[i], i == 0 ? _seedPort : FreePort.Next()));
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        foreach (var rogue in _rogues)
            await rogue.Terminate();
        foreach (var node in _nodes)
            await node.DisposeAsync();
        _http.Dispose();
        _files.Dispose();
    }

    private BackupNode StartNode(string name, string region, int port)
    {
        var file = new NodeFile(name, region, port, FreePort.Next(), [$"127.0.0.1:{_seedPort}"], _files.KeysFile, _files.DataDir(name))
        {
            Tables = ["votes"],
            Shards = 4,
            Certificates = Certificates,
        };
        return BackupNode.Start(NodeConfiguration.FromConfig(ConfigurationFactory.ParseString(file.Hocon), name));
    }

    private async Task<ClusterStatus> StatusOver(BackupNode node) => StatusJson.Read(await _http.GetStringAsync(node.AdminUrl + "status"));

    /// <summary>A bare cluster ActorSystem joining the seed, over TLS with <paramref name="certificate"/> (accepting whatever the seed presents) or over plain TCP.</summary>
    private ActorSystem StartRogue(X509Certificate2? certificate)
    {
        var port = FreePort.Next();
        var scheme = certificate is null ? "akka.tcp" : "akka.ssl.tcp";
        var config = ConfigurationFactory.ParseString($$"""
            akka {
              loglevel = WARNING
              stdout-loglevel = WARNING
              actor.provider = cluster
              remote.dot-netty.tcp { hostname = "127.0.0.1", port = {{port}}, enable-ssl = {{(certificate is null ? "off" : "on")}} }
              cluster.seed-nodes = ["{{scheme}}://{{ClusterConfig.SystemName}}@127.0.0.1:{{_seedPort}}"]
              coordinated-shutdown.run-by-clr-shutdown-hook = off
            }
            """);
        var setup = ActorSystemSetup.Create(BootstrapSetup.Create().WithConfig(config));
        if (certificate is not null)
            setup = setup.And(new DotNettySslSetup(certificate, suppressValidation: true, requireMutualAuthentication: true));
        var system = ActorSystem.Create(ClusterConfig.SystemName, setup);
        _rogues.Add(system);
        return system;
    }

    private static X509Certificate2 SelfSigned()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=n9", key, HashAlgorithmName.SHA256);
        var sans = new SubjectAlternativeNameBuilder();
        sans.AddIpAddress(System.Net.IPAddress.Loopback);
        request.CertificateExtensions.Add(sans.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null);
    }

    private X509Certificate2 OfAnotherCa()
    {
        var other = new CertificateDirectory(Path.Combine(_files.Root, "other-certs"));
        other.Init("other", [new NodeName("n1", ["127.0.0.1"])], TimeSpan.FromDays(1), null);
        return NodeCertificate.Load(other.CertificateOf("n1"), other.KeyOf("n1"));
    }

    private async Task<ClusterStatus> FormedAsync(BackupNode node, int members)
    {
        ClusterStatus? formed = null;
        await AwaitAssertAsync(async () =>
        {
            var status = await StatusOver(node);
            Assert.Equal(members, status.Members.Count(m => m.Status == "up" && m.Reachable));
            Assert.All(status.Shards, s => Assert.Equal(2, s.ReplicaCount));
            formed = status;
        }, Dilated(TimeSpan.FromSeconds(60)), TimeSpan.FromMilliseconds(300));
        return formed!;
    }

    [Fact]
    public async Task Nodes_with_the_clusters_certificates_form_the_cluster_over_TLS_and_place_every_shard_on_R_replicas()
    {
        var status = await FormedAsync(_nodes[0], 3);

        Assert.All(_nodes, n => Assert.StartsWith("akka.ssl.tcp://actorbackup@127.0.0.1:", n.Address));
        Assert.Equal(_nodes.Select(n => n.Address).Order(), status.Members.Select(m => m.Address).Order());
        Assert.Equal(4, status.Shards.Count);
    }

    [Fact]
    public async Task A_self_signed_a_foreign_CA_and_a_plain_TCP_process_never_join_while_a_node_certified_later_does()
    {
        await FormedAsync(_nodes[0], 3);
        var rogues = new[] { StartRogue(SelfSigned()), StartRogue(OfAnotherCa()), StartRogue(null) };
        Certificates.Issue(new NodeName("n4", ["127.0.0.1"]), TimeSpan.FromDays(1), null);
        var late = StartNode("n4", "us-east", FreePort.Next());
        _nodes.Add(late);

        // The rogues started before the late node: by the time it is up, each had its chance to join.
        var status = await FormedAsync(_nodes[0], 4);

        var rogueAddresses = rogues.Select(r => AkkaCluster.Get(r).SelfAddress.ToString()).ToArray();
        Assert.Equal(_nodes.Select(n => n.Address).Order(), status.Members.Select(m => m.Address).Order());
        Assert.All(status.Shards, s => Assert.DoesNotContain(s.Replicas, r => rogueAddresses.Contains(r.Node)));
        Assert.All(rogues, r => Assert.DoesNotContain(AkkaCluster.Get(r).State.Members, m => _nodes.Any(n => n.Address == m.Address.ToString())));
        Assert.All(await Task.WhenAll(_nodes.Skip(1).Select(StatusOver)),
            s => Assert.DoesNotContain(s.Members, m => rogueAddresses.Contains(m.Address)));
    }

    [Fact]
    public async Task A_bare_process_with_a_certificate_of_the_clusters_CA_does_join_so_the_refusals_are_the_certificates_doing()
    {
        await FormedAsync(_nodes[0], 3);
        Certificates.Issue(new NodeName("n5", ["127.0.0.1"]), TimeSpan.FromDays(1), null);

        var certified = StartRogue(NodeCertificate.Load(Certificates.CertificateOf("n5"), Certificates.KeyOf("n5")));

        await AwaitAssertAsync(() => Assert.Contains(AkkaCluster.Get(certified).State.Members, m => m.Address.ToString() == _nodes[0].Address),
            Dilated(TimeSpan.FromSeconds(60)), TimeSpan.FromMilliseconds(300));
    }
}
