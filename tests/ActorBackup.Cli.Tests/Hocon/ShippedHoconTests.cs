using ActorBackup.Cluster.Node;
using ActorBackup.Cluster.Settings;
using ActorBackup.Ledger.Simulation;
using ActorBackup.Sandbox.Processes;
using ActorBackup.Testing;
using Akka.Configuration;

namespace ActorBackup.Cli.Tests.Hocon;

/// <summary>Every HOCON file shipped in hocon/ is a node configuration a node accepts.</summary>
public sealed class ShippedHoconTests : IDisposable
{
    /// <summary>Key file paths the shipped files point at inside a container or a deployment.</summary>
    private static readonly string[] DeployedKeyPaths = ["/var/lib/federation/federation-keys.json", "/etc/actorbackup/federation-keys.json"];

    private readonly string _keys = Path.Combine(Path.GetTempPath(), $"actorbackup-hocon-{Guid.NewGuid():N}.json");

    public ShippedHoconTests()
    {
        using var simulator = new FederationSimulator(new SimulationOptions("hocon-tests", Nodes: 2));
        File.WriteAllText(_keys, simulator.KeyFile());
    }

    public void Dispose() => File.Delete(_keys);

    private static string HoconDir => Path.Combine(RepoPaths.Root, "hocon");

    public static TheoryData<string> ShippedFiles()
    {
        var files = Directory.EnumerateFiles(HoconDir, "*.conf", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(HoconDir, f))
            .Order(StringComparer.Ordinal)
            .ToArray();
        return new TheoryData<string>(files);
    }

    [Fact]
    public void The_promised_examples_are_all_shipped()
    {
        string[] expected =
        [
            "node.conf",
            "examples/three-regions/eu-west.conf", "examples/three-regions/us-east.conf", "examples/three-regions/ap-south.conf",
            "persistence/sqlite.conf", "persistence/postgresql.conf",
            "compose/backup-eu.conf", "compose/backup-us.conf", "compose/backup-ap.conf",
        ];

        Assert.All(expected, f => Assert.True(File.Exists(Path.Combine(HoconDir, f)), $"hocon/{f} is missing"));
    }

    [Theory]
    [MemberData(nameof(ShippedFiles))]
    public void A_shipped_file_loads_as_a_node_configuration(string file)
    {
        var text = DeployedKeyPaths.Aggregate(File.ReadAllText(Path.Combine(HoconDir, file)), (t, p) => t.Replace(p, _keys, StringComparison.Ordinal));
        // The persistence files are fragments to copy into a node file: they load over a minimal node.
        var minimal = ConfigurationFactory.ParseString($"actorbackup {{ region = \"test\", federation-keys = \"{_keys}\" }}");

        var configuration = NodeConfiguration.FromConfig(ConfigurationFactory.ParseString(text).WithFallback(minimal), file);

        Assert.False(string.IsNullOrEmpty(configuration.Settings.Region));
    }

    [Theory]
    [InlineData("compose/backup-eu.conf")]
    [InlineData("compose/backup-us.conf")]
    [InlineData("compose/backup-ap.conf")]
    public void A_compose_node_listens_on_every_interface_of_its_container_only_with_the_admin_token_secret(string file)
    {
        var text = File.ReadAllText(Path.Combine(HoconDir, file)).Replace(DeployedKeyPaths[0], _keys, StringComparison.Ordinal);

        var admin = NodeConfiguration.FromConfig(ConfigurationFactory.ParseString(text), file).Settings.Admin;

        Assert.Equal(("0.0.0.0", "/run/secrets/admin-token"), (admin.Endpoint.Host, admin.TokenFile));
    }

    [Theory]
    [InlineData("compose/backup-eu.conf", "eu-west", JournalKind.Sqlite)]
    [InlineData("compose/backup-us.conf", "us-east", JournalKind.Sqlite)]
    [InlineData("compose/backup-ap.conf", "ap-south", JournalKind.PostgreSql)]
    public void The_compose_nodes_read_rethinkdb_and_keep_their_data_in_the_volume(string file, string region, JournalKind journal)
    {
        var text = File.ReadAllText(Path.Combine(HoconDir, file)).Replace(DeployedKeyPaths[0], _keys, StringComparison.Ordinal);

        var settings = NodeConfiguration.FromConfig(ConfigurationFactory.ParseString(text), file).Settings;

        Assert.Equal((region, "rethinkdb:28015", "/var/lib/actorbackup", journal, 2),
            (settings.Region, settings.Sources.Single().ToString(), settings.DataDirectory, settings.Journal, settings.Replicas));
    }

    [Fact]
    public async Task Docker_compose_validates_the_compose_file()
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        var installed = path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries).Any(d => File.Exists(Path.Combine(d, "docker-compose")));
        Assert.True(installed, "docker-compose is not on PATH: install it to validate docker-compose.yml (Debian: apt-get install docker-compose)");

        var (code, output) = await ProcessRunner.RunAsync("docker-compose", ["-f", Path.Combine(RepoPaths.Root, "docker-compose.yml"), "config", "-q"],
            RepoPaths.Root, TimeSpan.FromSeconds(60));

        Assert.True(code == 0, $"docker-compose config failed (exit {code}): {output}");
    }
}
