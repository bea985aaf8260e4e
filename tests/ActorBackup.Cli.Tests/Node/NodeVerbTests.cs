using ActorBackup.Cli.CommandLine;
using ActorBackup.Cluster.Tests.Node;

namespace ActorBackup.Cli.Tests.Node;

public sealed class NodeVerbTests : IDisposable
{
    private readonly TestNodeFiles _files = new();

    public void Dispose() => _files.Dispose();

    private static async Task<(int Code, string Out, string Err)> Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = await Program.RunAsync(args, output, error, CancellationToken.None);
        return (code, output.ToString(), error.ToString());
    }

    private async Task<(int Code, string Err)> RunWith(string hocon)
    {
        var (code, _, err) = await Run("node", "--config", _files.Write("node.conf", hocon));
        return (code, err);
    }

    private string Valid(string extra) => $$"""
        actorbackup.region = eu-west
        actorbackup.federation-keys = "{{_files.KeysFile}}"
        actorbackup.data-dir = "{{Path.Combine(_files.Root, "data")}}"
        {{extra}}
        """;

    [Fact]
    public async Task A_missing_config_file_is_one_line_and_exit_code_2()
    {
        var path = Path.Combine(_files.Root, "nope.conf");

        var (code, _, err) = await Run("node", "--config", path);

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Equal($"actorbackup node: error: the configuration file {path} does not exist.\n", err);
    }

    [Fact]
    public async Task A_hocon_syntax_error_is_one_line_and_exit_code_2()
    {
        var (code, err) = await RunWith("actorbackup.region = ${nope}");

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Equal($"actorbackup node: error: {Path.Combine(_files.Root, "node.conf")} is not valid HOCON: Unresolved substitution: nope.\n", err);
    }

    [Fact]
    public async Task A_missing_region_is_one_line_and_exit_code_2()
    {
        var (code, err) = await RunWith($"actorbackup.federation-keys = \"{_files.KeysFile}\"");

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Equal(
            $"actorbackup node: error: actorbackup.region is not set in {Path.Combine(_files.Root, "node.conf")}: every node must name its region (for example \"eu-west\").\n",
            err);
    }

    [Fact]
    public async Task A_bad_source_is_one_line_and_exit_code_2()
    {
        var (code, err) = await RunWith(Valid("actorbackup.sources = [\"db1:99999\"]"));

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Equal(
            "actorbackup node: error: actorbackup.sources: \"db1:99999\" is not a valid \"host:port\" (the port must be a number from 1 to 65535).\n",
            err);
    }

    [Fact]
    public async Task A_missing_federation_keys_file_is_one_line_and_exit_code_2()
    {
        var missing = Path.Combine(_files.Root, "keys-nowhere.json");

        var (code, err) = await RunWith(Valid($"actorbackup.federation-keys = \"{missing}\""));

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Equal($"actorbackup node: error: actorbackup.federation-keys: the file {missing} does not exist.\n", err);
    }

    [Fact]
    public async Task A_data_directory_made_for_another_database_is_one_line_and_exit_code_2()
    {
        var data = Path.Combine(_files.Root, "data");
        Directory.CreateDirectory(data);
        File.WriteAllText(Path.Combine(data, "identity.json"),
            File.ReadAllText(Path.Combine(IdentityOf(Valid("")), "identity.json")).Replace("\"database\": \"bigchain\"", "\"database\": \"ledger\""));

        var (code, err) = await RunWith(Valid(""));

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Equal($"actorbackup node: error: actorbackup.data-dir: {data} was made for database ledger, not for database bigchain as this node is configured: "
                     + "give the node a data directory of its own, or its old configuration\n", err);
    }

    /// <summary>A directory holding the identity a node configured by <paramref name="hocon"/> records, made without starting it.</summary>
    private string IdentityOf(string hocon)
    {
        var configuration = Cluster.Node.NodeConfiguration.FromConfig(Akka.Configuration.ConfigurationFactory.ParseString(hocon), "node.conf");
        var directory = Path.Combine(_files.Root, "identity-" + Guid.NewGuid().ToString("N"));
        Cluster.Node.DataDirectoryIdentity.Claim(directory,
            Cluster.Node.DataDirectoryIdentity.Of(configuration.Settings, configuration.Settings.LoadFederationKeys()), _ => { });
        return directory;
    }

    [Fact]
    public async Task The_config_option_is_required()
    {
        var (code, _, err) = await Run("node");

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Equal("actorbackup node: error: --config FILE is required (hint: see `actorbackup node --help`)\n", err);
    }
}
