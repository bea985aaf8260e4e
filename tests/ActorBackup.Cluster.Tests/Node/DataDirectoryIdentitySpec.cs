using ActorBackup.Cluster.Node;
using ActorBackup.Cluster.Settings;
using ActorBackup.Ledger.Federation;
using ActorBackup.Ledger.Simulation;
using ActorBackup.Sandbox;
using Akka.Configuration;

namespace ActorBackup.Cluster.Tests.Node;

public sealed class DataDirectoryIdentitySpec : IDisposable
{
    private readonly TestNodeFiles _files = new();

    public void Dispose() => _files.Dispose();

    private static FederationKeys Federation(string seed, int nodes = 3)
    {
        using var simulator = new FederationSimulator(new SimulationOptions(seed, Nodes: nodes));
        return simulator.Federation;
    }

    private NodeConfiguration Configuration(string extra = "") =>
        NodeConfiguration.FromConfig(ConfigurationFactory.ParseString(_files.NodeHocon("solo", "eu-west", FreePort.Next(), FreePort.Next(), 1, extra)), "solo");

    private static DataDirectoryIdentity IdentityOf(NodeConfiguration configuration) =>
        DataDirectoryIdentity.Of(configuration.Settings, configuration.Settings.LoadFederationKeys());

    [Fact]
    public void A_new_data_directory_records_what_it_is_made_for_and_accepts_the_same_again()
    {
        var directory = Path.Combine(_files.Root, "fresh");
        var identity = DataDirectoryIdentity.Of(BackupSettings.Create(ConfigurationFactory.Empty), Federation("a"));
        var notes = new List<string>();

        DataDirectoryIdentity.Claim(directory, identity, notes.Add);
        DataDirectoryIdentity.Claim(directory, identity with { }, notes.Add);

        Assert.Empty(notes);
        var text = File.ReadAllText(Path.Combine(directory, DataDirectoryIdentity.FileName));
        Assert.Contains("\"format\": \"actorbackup-data-identity/1\"", text);
        Assert.Contains($"\"federation_keys\": \"{identity.FederationKeys}\"", text);
        Assert.Contains("\"shards\": 64", text);
    }

    [Fact]
    public void The_fingerprint_of_a_key_set_does_not_depend_on_the_order_of_its_keys()
    {
        var federation = Federation("a");
        var reversed = FederationKeys.Create(federation.Members.Reverse());
        var settings = BackupSettings.Create(ConfigurationFactory.Empty);

        Assert.Equal(DataDirectoryIdentity.Of(settings, federation), DataDirectoryIdentity.Of(settings, reversed));
        Assert.NotEqual(DataDirectoryIdentity.Of(settings, federation).FederationKeys, DataDirectoryIdentity.Of(settings, Federation("b")).FederationKeys);
    }

    [Fact]
    public void A_data_directory_of_an_earlier_version_is_claimed_once_and_says_so()
    {
        var directory = Path.Combine(_files.Root, "earlier");
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, "journal.db"), "");
        var identity = DataDirectoryIdentity.Of(BackupSettings.Create(ConfigurationFactory.Empty), Federation("a"));
        var notes = new List<string>();

        DataDirectoryIdentity.Claim(directory, identity, notes.Add);
        DataDirectoryIdentity.Claim(directory, identity, notes.Add);

        Assert.Equal([$"The data directory {directory} had no identity.json (made by an earlier version); it is now recorded as made for {identity}"], notes);
    }

    [Fact]
    public void A_node_started_on_the_data_directory_of_another_federation_refuses_naming_both()
    {
        var configuration = Configuration();
        var theirs = IdentityOf(configuration) with { FederationKeys = DataDirectoryIdentity.Of(configuration.Settings, Federation("other", 4)).FederationKeys, FederationSize = 4 };
        DataDirectoryIdentity.Claim(configuration.Settings.DataDirectory, theirs, _ => { });

        var e = Assert.Throws<BackupSettingsException>(() => BackupNode.Start(configuration));

        Assert.Equal($"actorbackup.data-dir: {configuration.Settings.DataDirectory} was made for the federation keys {theirs.FederationKeys[..16]} (4 nodes), "
                     + $"not for the federation keys {IdentityOf(configuration).FederationKeys[..16]} (3 nodes) as this node is configured: "
                     + "give the node a data directory of its own, or its old configuration", e.Message);
        Assert.False(File.Exists(Path.Combine(configuration.Settings.DataDirectory, "journal.db")), "the journal was opened");
    }

    [Theory]
    [InlineData("actorbackup.database = ledger", "database bigchain", "database ledger")]
    [InlineData("actorbackup.shards = 16", "8 shards", "16 shards")]
    public void A_node_started_on_a_data_directory_of_another_database_or_key_space_refuses_naming_both(string change, string made, string configured)
    {
        DataDirectoryIdentity.Claim(Configuration().Settings.DataDirectory, IdentityOf(Configuration()), _ => { });
        var changed = Configuration(change);

        var e = Assert.Throws<BackupSettingsException>(() => BackupNode.Start(changed));

        Assert.Equal($"actorbackup.data-dir: {changed.Settings.DataDirectory} was made for {made}, not for {configured} as this node is configured: "
                     + "give the node a data directory of its own, or its old configuration", e.Message);
    }

    [Fact]
    public void An_unreadable_identity_stops_the_start_with_one_line_and_is_left_as_it_was()
    {
        var configuration = Configuration();
        Directory.CreateDirectory(configuration.Settings.DataDirectory);
        var file = Path.Combine(configuration.Settings.DataDirectory, DataDirectoryIdentity.FileName);
        File.WriteAllText(file, "{\"format\":\"actorbackup-data-identity/1\",\"shards\":4}");

        var e = Assert.Throws<BackupSettingsException>(() => BackupNode.Start(configuration));

        Assert.StartsWith($"actorbackup.data-dir: {file} cannot be read as the directory's identity (", e.Message);
        Assert.DoesNotContain('\n', e.Message);
        Assert.Equal("{\"format\":\"actorbackup-data-identity/1\",\"shards\":4}", File.ReadAllText(file));
    }
}
