using ActorBackup.Certificates;
using ActorBackup.Cli.CommandLine;
using ActorBackup.Cli.Tests.CommandLine;
using ActorBackup.Cluster.Node;
using ActorBackup.Ledger.Simulation;

namespace ActorBackup.Cli.Tests.Security;

/// <summary>`actorbackup certs init|issue` writes a CA whose key only its owner reads, and per node a certificate the CA signed and a file a node file includes.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class CertsVerbTests : IDisposable
{
    private readonly DirectoryInfo _temp = Directory.CreateTempSubdirectory("actorbackup-certs-");

    public void Dispose() => _temp.Delete(recursive: true);

    private string Dir => Path.Combine(_temp.FullName, "certs");

    [Fact]
    public async Task Init_writes_the_CA_with_an_owner_only_key_and_per_node_a_certificate_chaining_to_it()
    {
        var (code, output, error) = await CliRun.RunAsync("certs", "init", "--out", Dir, "--names", "n1,n2", "--names", "n3");

        Assert.True(code == ExitCodes.Ok, error);
        var directory = new CertificateDirectory(Dir);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(directory.CaKey));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.GetDirectoryName(directory.CaKey)!));
        var trust = ClusterTrust.Load(directory.CaCertificate);
        foreach (var name in new[] { "n1", "n2", "n3" })
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(directory.KeyOf(name)));
            using var certificate = NodeCertificate.Load(directory.CertificateOf(name), directory.KeyOf(name));
            Assert.True(trust.Accepts(certificate, out var reason), reason);
            Assert.Contains($"certs: {name}: {directory.CertificateOf(name)}, {directory.KeyOf(name)}; include {directory.ConfOf(name)} in its node file", output.Split('\n'));
        }
        Assert.False(File.Exists(Path.Combine(Dir, "ca.key")), "the CA key lies beside the node files");
    }

    [Fact]
    public async Task A_node_file_that_includes_the_written_conf_turns_on_TLS_with_those_files()
    {
        await CliRun.RunAsync("certs", "init", "--out", Dir, "--names", "n1");
        var keys = Path.Combine(Dir, "federation-keys.json");
        using (var simulator = new FederationSimulator(new SimulationOptions("certs-tests", Nodes: 2)))
            File.WriteAllText(keys, simulator.KeyFile());
        var nodeFile = Path.Combine(Dir, "node.conf");
        File.WriteAllText(nodeFile, $$"""
            include "n1.conf"
            actorbackup { region = "eu-west", federation-keys = "{{keys}}" }
            """);

        var settings = NodeConfiguration.Load(nodeFile).Settings;

        var directory = new CertificateDirectory(Dir);
        Assert.Equal(new Cluster.Settings.TlsSettings(directory.CaCertificate, directory.CertificateOf("n1"), directory.KeyOf("n1")), settings.Tls);
    }

    [Fact]
    public async Task Init_refuses_a_directory_that_holds_a_CA_and_leaves_the_CA_as_it_was()
    {
        await CliRun.RunAsync("certs", "init", "--out", Dir, "--names", "n1");
        var before = File.ReadAllBytes(Path.Combine(Dir, "ca.crt"));

        var (code, _, error) = await CliRun.RunAsync("certs", "init", "--out", Dir, "--names", "n2");

        Assert.Equal(ExitCodes.Failure, code);
        Assert.Equal($"actorbackup certs: error: {Dir} already holds a CA (ca.crt): add nodes with `certs issue`, or choose an empty directory", error.TrimEnd());
        Assert.Equal(before, File.ReadAllBytes(Path.Combine(Dir, "ca.crt")));
        Assert.False(File.Exists(Path.Combine(Dir, "n2.crt")));
    }

    [Fact]
    public async Task Issue_adds_a_node_signed_by_the_same_CA_and_refuses_a_name_already_certified_or_a_directory_without_the_CA_key()
    {
        await CliRun.RunAsync("certs", "init", "--out", Dir, "--names", "n1");

        var added = await CliRun.RunAsync("certs", "issue", "--out", Dir, "--names", "n4");
        var again = await CliRun.RunAsync("certs", "issue", "--out", Dir, "--names", "n1");
        var elsewhere = await CliRun.RunAsync("certs", "issue", "--out", Path.Combine(_temp.FullName, "empty"), "--names", "n5");

        var directory = new CertificateDirectory(Dir);
        Assert.True(added.Code == ExitCodes.Ok, added.Err);
        using (var certificate = NodeCertificate.Load(directory.CertificateOf("n4"), directory.KeyOf("n4")))
            Assert.True(ClusterTrust.Load(directory.CaCertificate).Accepts(certificate, out var reason), reason);
        Assert.Equal($"actorbackup certs: error: {directory.CertificateOf("n1")} already exists: choose another name or remove the old files first", again.Err.TrimEnd());
        Assert.Equal($"actorbackup certs: error: {Path.Combine(_temp.FullName, "empty", "ca", "ca.key")} does not exist: `certs issue` needs the directory `certs init` wrote, with the CA key",
            elsewhere.Err.TrimEnd());
    }

    [Theory]
    [InlineData("certs --out d --names n1", "say what to do: `certs init` or `certs issue`")]
    [InlineData("certs renew --out d --names n1", "say what to do: `certs init` or `certs issue` (got 'renew')")]
    [InlineData("certs init --out d --names ../x", "--names must be node names of letters, digits, '.', '-' and '_', starting with a letter or digit (got '../x')")]
    [InlineData("certs init --out d --names n1,n1", "--names gives n1 twice")]
    [InlineData("certs issue --out d --names n1,n2", "`certs issue` certifies one node at a time (got 2 names)")]
    public void A_bad_command_line_is_one_usage_line_and_writes_nothing(string commandLine, string message)
    {
        var error = new StringWriter();

        var code = Program.Check(commandLine.Split(' '), error);

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Equal($"actorbackup certs: error: {message} (hint: see `actorbackup certs --help`)", error.ToString().TrimEnd());
    }
}
