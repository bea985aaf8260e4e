using ActorBackup.Certificates;
using ActorBackup.Cli.Tests.Readme;
using ActorBackup.Cluster.Node;
using ActorBackup.Cluster.Settings;
using ActorBackup.Ledger.Simulation;
using ActorBackup.Sandbox.Processes;
using ActorBackup.Testing;
using Akka.Configuration;

namespace ActorBackup.Cli.Tests.Hocon;

/// <summary>
/// Every HOCON file shipped in hocon/ is a node configuration a node accepts; the node files of docker-compose.yml and of
/// the three-region example speak mutual TLS with the file `actorbackup certs init` wrote, ask for an admin token and
/// encrypt what they store, all with what the commands in their comments write.
/// </summary>
public sealed class ShippedHoconTests(ExampleSecrets secrets) : IClassFixture<ExampleSecrets>
{
    /// <summary>Key file paths the shipped files point at inside a container or a deployment.</summary>
    private static readonly string[] DeployedKeyPaths = ["/var/lib/federation/federation-keys.json", "/etc/actorbackup/federation-keys.json"];

    private static string HoconDir => Path.Combine(RepoPaths.Root, "hocon");

    public static TheoryData<string> ShippedFiles()
    {
        var files = Directory.EnumerateFiles(HoconDir, "*.conf", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(HoconDir, f))
            .Order(StringComparer.Ordinal)
            .ToArray();
        return new TheoryData<string>(files);
    }

    private NodeConfiguration Load(string file) => secrets.Load(Path.Combine(HoconDir, file), DeployedKeyPaths);

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
        // The persistence files are fragments to copy into a node file: they load over a minimal node.
        var configuration = file.StartsWith("persistence/", StringComparison.Ordinal)
            ? NodeConfiguration.FromConfig(ConfigurationFactory.ParseString(File.ReadAllText(Path.Combine(HoconDir, file)))
                .WithFallback(ConfigurationFactory.ParseString($"actorbackup {{ region = \"test\", federation-keys = \"{secrets.FederationKeys}\" }}")), file)
            : Load(file);

        Assert.False(string.IsNullOrEmpty(configuration.Settings.Region));
    }

    [Theory]
    [InlineData("compose/backup-eu.conf", "backup-eu", ExampleSecrets.ComposeMount, "admin-token")]
    [InlineData("compose/backup-us.conf", "backup-us", ExampleSecrets.ComposeMount, "admin-token")]
    [InlineData("compose/backup-ap.conf", "backup-ap", ExampleSecrets.ComposeMount, "admin-token")]
    [InlineData("examples/three-regions/eu-west.conf", "backup-eu", ExampleSecrets.ExamplesMount, "admin.token")]
    [InlineData("examples/three-regions/us-east.conf", "backup-us", ExampleSecrets.ExamplesMount, "admin.token")]
    [InlineData("examples/three-regions/ap-south.conf", "backup-ap", ExampleSecrets.ExamplesMount, "admin.token")]
    public void A_deployment_node_speaks_TLS_with_its_own_certificate_asks_for_the_token_and_encrypts_with_its_key(string file, string node, string mount, string token)
    {
        var configuration = Load(file);

        var view = secrets.ViewOf(mount, node);
        var settings = configuration.Settings;
        Assert.Equal(new TlsSettings(Path.Combine(view, "ca.crt"), Path.Combine(view, node + ".crt"), Path.Combine(view, node + ".key")), settings.Tls);
        using (var certificate = NodeCertificate.Load(settings.Tls!.CertificateFile, settings.Tls.KeyFile))
            Assert.True(ClusterTrust.Load(settings.Tls.CaFile).Accepts(certificate, out var reason), reason);
        Assert.Equal(Path.Combine(view, token), settings.Admin.TokenFile);
        Assert.Equal(Path.Combine(view, "at-rest.key"), settings.Storage.KeyFile);
        var seeds = configuration.Operator.GetStringList("akka.cluster.seed-nodes");
        Assert.Equal(3, seeds.Count);
        Assert.All(seeds, s => Assert.StartsWith("akka.ssl.tcp://actorbackup@", s));
    }

    [Theory]
    [InlineData("compose/backup-eu.conf")]
    [InlineData("compose/backup-us.conf")]
    [InlineData("compose/backup-ap.conf")]
    public void A_compose_node_listens_on_every_interface_of_its_container_only_with_the_admin_token_secret(string file)
    {
        var admin = Load(file).Settings.Admin;

        var node = Path.GetFileNameWithoutExtension(file);
        Assert.Equal(("0.0.0.0", Path.Combine(secrets.ViewOf(ExampleSecrets.ComposeMount, node), "admin-token")), (admin.Endpoint.Host, admin.TokenFile));
        Assert.Contains("token-file = \"/run/secrets/admin-token\"", File.ReadAllText(Path.Combine(HoconDir, file)));
    }

    [Theory]
    [InlineData("compose/backup-eu.conf", "eu-west", JournalKind.Sqlite)]
    [InlineData("compose/backup-us.conf", "us-east", JournalKind.Sqlite)]
    [InlineData("compose/backup-ap.conf", "ap-south", JournalKind.PostgreSql)]
    public void The_compose_nodes_read_rethinkdb_and_keep_their_data_in_the_volume(string file, string region, JournalKind journal)
    {
        var settings = Load(file).Settings;

        Assert.Equal((region, "rethinkdb:28015", "/var/lib/actorbackup", journal, 2),
            (settings.Region, settings.Sources.Single().ToString(), settings.DataDirectory, settings.Journal, settings.Replicas));
    }

    [Fact]
    public async Task Each_compose_node_mounts_its_own_TLS_files_the_token_and_its_own_key_as_the_files_the_commands_wrote()
    {
        var secretsDirectory = Path.Combine(RepoPaths.Root, "secrets");
        var (code, output) = await ProcessRunner.RunAsync("docker-compose", ["-f", Path.Combine(RepoPaths.Root, "docker-compose.yml"), "config"],
            RepoPaths.Root, TimeSpan.FromSeconds(60));
        Assert.True(code == 0, $"docker-compose config failed (exit {code}): {output}");

        var compose = ComposeSecrets.Parse(output);

        foreach (var node in ExampleSecrets.Nodes)
        {
            var mounted = compose.Mounts[node].ToDictionary(m => m.Target, m => Path.GetRelativePath(secretsDirectory, compose.Files[m.Secret]).Replace('\\', '/'));
            Assert.Equal(ExampleSecrets.ComposeMounts(node).OrderBy(m => m.Key), mounted.OrderBy(m => m.Key));
            Assert.All(mounted.Values, f => Assert.True(File.Exists(Path.Combine(secrets.ComposeSecretsDirectory, f)), $"the commands wrote no secrets/{f}"));
        }
        Assert.DoesNotContain(compose.Files.Values, f => f.Contains("/ca/", StringComparison.Ordinal));
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
