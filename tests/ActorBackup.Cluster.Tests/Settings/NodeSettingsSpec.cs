using ActorBackup.Cluster.Settings;
using Akka.Configuration;

namespace ActorBackup.Cluster.Tests.Settings;

public sealed class NodeSettingsSpec
{
    [Fact]
    public void Every_default_of_the_node_section_is_read_into_the_settings()
    {
        var s = NodeSettings.Create(ConfigurationFactory.Empty);

        Assert.Equal(new NodeSettings(TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(60),
            TimeSpan.FromMinutes(5)), s);
    }

    [Fact]
    public void Operator_values_override_the_node_defaults()
    {
        var s = NodeSettings.Create(ConfigurationFactory.ParseString(
            "actorbackup.node { placement-debounce = 0s, status-interval = 1s, status-timeout = 10s, start-timeout = 3m, table-metadata-interval = 1h }"));

        Assert.Equal(new NodeSettings(TimeSpan.Zero, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10), TimeSpan.FromMinutes(3), TimeSpan.FromHours(1)), s);
    }

    [Theory]
    [InlineData("actorbackup.node.placement-debounce = 2m", "actorbackup.node.placement-debounce must be at most 1m (got 2m).")]
    [InlineData("actorbackup.node.status-interval = 10ms", "actorbackup.node.status-interval must be at least 100ms (got 10ms).")]
    [InlineData("actorbackup.node.start-timeout = 500ms", "actorbackup.node.start-timeout must be at least 1s (got 500ms).")]
    [InlineData("actorbackup.node.table-metadata-interval = 1s", "actorbackup.node.table-metadata-interval must be at least 10s (got 1s).")]
    [InlineData("actorbackup.node.status-timeout = soon", "actorbackup.node.status-timeout must be a duration such as 30s or 5m (got \"soon\").")]
    public void A_wrong_node_value_is_one_line_naming_the_key(string hocon, string expected)
    {
        var e = Assert.Throws<BackupSettingsException>(() => NodeSettings.Create(ConfigurationFactory.ParseString(hocon)));

        Assert.Equal(expected, e.Message);
    }
}
