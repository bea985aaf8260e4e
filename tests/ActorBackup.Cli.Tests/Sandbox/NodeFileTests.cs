using ActorBackup.Cluster.Node;
using ActorBackup.Cluster.Settings;
using ActorBackup.Cluster.Tests.Node;
using ActorBackup.Sandbox.Nodes;
using Akka.Configuration;

namespace ActorBackup.Cli.Tests.Sandbox;

public sealed class NodeFileTests : IDisposable
{
    private readonly TestNodeFiles _files = new();

    public void Dispose() => _files.Dispose();

    private NodeConfiguration Load(NodeFile file) => NodeConfiguration.FromConfig(ConfigurationFactory.ParseString(file.Hocon), file.Name);

    private NodeFile File(string extra = "") =>
        new("eu-2", "eu-west", 4061, 8561, ["127.0.0.1:4060"], _files.KeysFile, _files.DataDir("eu-2"))
        {
            Sources = ["127.0.0.1:28016", "127.0.0.1:28017"],
            Tables = ["votes"],
            Shards = 4,
            Replicas = 2,
            Extra = NodeFile.QuickCapture + extra,
        };

    [Fact]
    public void A_node_file_loads_as_the_node_it_describes()
    {
        var file = File();

        var configuration = Load(file);

        var settings = configuration.Settings;
        Assert.Equal("eu-west", settings.Region);
        Assert.Equal([new HostPort("127.0.0.1", 28016), new HostPort("127.0.0.1", 28017)], settings.Sources);
        Assert.Equal(["votes"], settings.Tables);
        Assert.Equal((4, 2), (settings.Shards, settings.Replicas));
        Assert.Equal(new HostPort("127.0.0.1", 8561), settings.Admin.Endpoint);
        Assert.Equal(_files.KeysFile, settings.FederationKeysPath);
        Assert.Equal(TimeSpan.FromSeconds(2), settings.CatchUpMargin);
        Assert.Equal(["akka.tcp://actorbackup@127.0.0.1:4060"], configuration.Operator.GetStringList("akka.cluster.seed-nodes"));
        Assert.Equal(4061, configuration.Operator.GetInt("akka.remote.dot-netty.tcp.port"));
        Assert.Equal(("akka.tcp://actorbackup@127.0.0.1:4061", "http://127.0.0.1:8561/"), (file.Address, file.AdminUrl));
    }

    [Fact]
    public void Extra_hocon_overrides_what_the_file_says_before_it()
    {
        var settings = Load(File("actorbackup { shards = 3, catch-up-margin = 5s }")).Settings;

        Assert.Equal(3, settings.Shards);
        Assert.Equal(TimeSpan.FromSeconds(5), settings.CatchUpMargin);
    }

    [Fact]
    public void A_node_file_without_sources_or_tables_leaves_them_to_the_defaults()
    {
        var settings = Load(new NodeFile("solo", "us-east", 4062, 8562, ["127.0.0.1:4062"], _files.KeysFile, _files.DataDir("solo"))).Settings;

        Assert.Equal([new HostPort("127.0.0.1", 28015)], settings.Sources);
        Assert.Equal(["bigchain", "votes"], settings.Tables);
    }
}
