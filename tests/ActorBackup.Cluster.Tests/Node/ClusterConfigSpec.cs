using ActorBackup.Cluster.Node;
using Akka.Configuration;

namespace ActorBackup.Cluster.Tests.Node;

public sealed class ClusterConfigSpec : IDisposable
{
    private readonly TestNodeFiles _files = new();

    public void Dispose() => _files.Dispose();

    private Config Build(string extra = "") =>
        ClusterConfig.For(NodeConfiguration.FromConfig(
            ConfigurationFactory.ParseString(_files.NodeHocon("a", "us-east", 4053, 8558, 4053, extra)), "test"));

    [Fact]
    public void A_node_runs_the_cluster_provider_with_its_region_as_a_role()
    {
        var config = Build();

        Assert.Equal("cluster", config.GetString("akka.actor.provider"));
        Assert.Equal(["region:us-east"], config.GetStringList("akka.cluster.roles"));
    }

    [Fact]
    public void An_operator_cannot_replace_the_region_role_placement_depends_on()
    {
        var config = Build("akka.cluster.roles = [other]");

        Assert.Equal(["region:us-east"], config.GetStringList("akka.cluster.roles"));
    }

    [Fact]
    public void The_app_version_is_the_library_version_not_the_entry_assembly_default()
    {
        var config = Build();

        Assert.Equal(NodeVersion.Current, config.GetString("akka.cluster.app-version"));
        Assert.NotEqual("assembly-version", NodeVersion.Current);
        Assert.DoesNotContain('+', NodeVersion.Current);
    }

    [Fact]
    public void Akkas_start_up_bounds_follow_the_node_start_timeout_unless_the_operator_sets_them()
    {
        var config = Build("actorbackup.node.start-timeout = 90s");
        var own = Build("actorbackup.node.start-timeout = 90s\nakka.remote.startup-timeout = 15s");

        Assert.Equal(TimeSpan.FromSeconds(90), config.GetTimeSpan("akka.remote.startup-timeout"));
        Assert.Equal(TimeSpan.FromSeconds(90), config.GetTimeSpan("akka.actor.creation-timeout"));
        Assert.Equal(TimeSpan.FromSeconds(15), own.GetTimeSpan("akka.remote.startup-timeout"));
    }

    [Fact]
    public void No_downing_provider_is_configured()
    {
        var config = Build();

        Assert.Equal("", config.GetString("akka.cluster.downing-provider-class"));
        Assert.Equal("off", config.GetString("akka.cluster.auto-down-unreachable-after"));
    }

    [Fact]
    public void The_journal_and_our_serializer_bindings_are_in_the_node_config()
    {
        var config = Build();

        Assert.Equal("akka.persistence.journal.sql", config.GetString("akka.persistence.journal.plugin"));
        Assert.Equal("actorbackup", config.GetString("akka.actor.serialization-bindings.\"ActorBackup.Cluster.Messages.IBackupMessage, ActorBackup.Cluster\""));
        Assert.Equal(4053, config.GetInt("akka.remote.dot-netty.tcp.port"));
    }
}
