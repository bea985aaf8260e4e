using ActorBackup.Cluster.Node;
using ActorBackup.Cluster.Settings;
using ActorBackup.Testing;
using Akka.Configuration;

namespace ActorBackup.Cluster.Tests.Node;

public sealed class NodeConfigurationSpec : IDisposable
{
    private readonly TestNodeFiles _files = new();

    public void Dispose() => _files.Dispose();

    private string FailureOf(string hocon) =>
        Assert.Throws<BackupSettingsException>(() => NodeConfiguration.Load(_files.Write("node.conf", hocon))).Message;

    private string Valid(string extra = "") => $$"""
        actorbackup.region = eu-west
        actorbackup.federation-keys = "{{_files.KeysFile}}"
        actorbackup.data-dir = "{{_files.DataDir("data")}}"
        {{extra}}
        """;

    [Fact]
    public void The_operator_file_in_hocon_loads_with_its_keys_file_and_data_dir_substituted()
    {
        var text = File.ReadAllText(Path.Combine(RepoPaths.Root, "hocon", "node.conf"))
            .Replace("/etc/actorbackup/federation-keys.json", _files.KeysFile, StringComparison.Ordinal)
            .Replace("/var/lib/actorbackup", _files.DataDir("data"), StringComparison.Ordinal);

        var node = NodeConfiguration.Load(_files.Write("node.conf", text));

        Assert.Equal("eu-west", node.Settings.Region);
        Assert.Equal((64, 2), (node.Settings.Shards, node.Settings.Replicas));
        Assert.Equal(new NodeSettings(TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(60),
            TimeSpan.FromMinutes(5)), node.Node);
        Assert.Equal(4053, node.Operator.GetInt("akka.remote.dot-netty.tcp.port"));
        Assert.Equal(2, node.Operator.GetStringList("akka.cluster.seed-nodes").Count);
    }

    [Fact]
    public void Every_key_of_reference_conf_is_documented_in_the_operator_file()
    {
        var operatorFile = ConfigurationFactory.ParseString(File.ReadAllText(Path.Combine(RepoPaths.Root, "hocon", "node.conf")));
        var keys = LeafKeys(BackupConfig.Reference.GetConfig("actorbackup").Root, "").ToArray();

        Assert.Contains("node.status-interval", keys);
        Assert.DoesNotContain(keys, k => !operatorFile.HasPath("actorbackup." + k));
    }

    private static IEnumerable<string> LeafKeys(Akka.Configuration.Hocon.HoconValue value, string prefix) =>
        value.IsObject()
            ? value.GetObject().Items.SelectMany(kv => LeafKeys(kv.Value, prefix.Length == 0 ? kv.Key : $"{prefix}.{kv.Key}"))
            : [prefix];

    [Fact]
    public void A_missing_file_is_one_line_naming_it()
    {
        var path = Path.Combine(_files.Root, "nope.conf");

        var e = Assert.Throws<BackupSettingsException>(() => NodeConfiguration.Load(path));

        Assert.Equal($"the configuration file {path} does not exist.", e.Message);
    }

    [Theory]
    [InlineData("actorbackup.region = ${nope}", "Unresolved substitution: nope.")]
    [InlineData("actorbackup.region ==", "Unknown token at position 20:.")]
    public void A_hocon_syntax_error_is_one_line_naming_the_file(string hocon, string reason)
    {
        Assert.Equal($"{Path.Combine(_files.Root, "node.conf")} is not valid HOCON: {reason}", FailureOf(hocon));
    }

    [Fact]
    public void A_node_without_its_own_region_does_not_start()
    {
        var message = FailureOf($"actorbackup.federation-keys = \"{_files.KeysFile}\"");

        Assert.Equal($"actorbackup.region is not set in {Path.Combine(_files.Root, "node.conf")}: every node must name its region (for example \"eu-west\").", message);
    }

    [Fact]
    public void A_bad_source_names_the_key_and_the_value()
    {
        Assert.Equal(
            "actorbackup.sources: \"db1\" is not a valid \"host:port\" (expected \"host:port\").",
            FailureOf(Valid("actorbackup.sources = [db1]")));
    }

    [Fact]
    public void A_capture_that_would_wait_for_its_journal_longer_than_the_node_waits_for_its_status_does_not_start()
    {
        Assert.Equal(
            "actorbackup.capture.journal-status-timeout must be at most actorbackup.node.status-timeout (2s) (got 3s).",
            FailureOf(Valid("actorbackup.node.status-timeout = 2s")));
    }

    [Fact]
    public void A_node_without_federation_keys_does_not_start()
    {
        Assert.Equal(
            "actorbackup.federation-keys is not set: a node needs the federation's public keys to verify what it captures.",
            FailureOf("actorbackup.region = eu-west"));
    }

    [Fact]
    public void A_federation_keys_file_that_does_not_exist_is_named()
    {
        var missing = Path.Combine(_files.Root, "missing-keys.json");

        Assert.Equal(
            $"actorbackup.federation-keys: the file {missing} does not exist.",
            FailureOf(Valid($"actorbackup.federation-keys = \"{missing}\"")));
    }

    [Fact]
    public void A_federation_keys_file_of_the_wrong_format_is_named()
    {
        var bad = _files.Write("bad-keys.json", "{\"nodes\":[]}");

        Assert.Equal(
            $"actorbackup.federation-keys: Bad federation key file: \"format\" must be \"actorbackup-federation-keys/1\" ({bad}).",
            FailureOf(Valid($"actorbackup.federation-keys = \"{bad}\"")));
    }
}
