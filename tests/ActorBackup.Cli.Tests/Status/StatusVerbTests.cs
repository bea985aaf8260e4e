using ActorBackup.Testing;
using ActorBackup.Admin.Contract.Status;
using ActorBackup.Cli.CommandLine;
using ActorBackup.Cluster.Node;
using ActorBackup.Cluster.Tests.Node;
using ActorBackup.Sandbox;
using Akka.Configuration;

namespace ActorBackup.Cli.Tests.Status;

public sealed class StatusVerbTests : IDisposable
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

    [Fact]
    public async Task A_dead_admin_url_is_one_line_and_exit_code_1()
    {
        var port = FreePort.Next();

        var (code, output, err) = await Run("status", "--admin", $"http://127.0.0.1:{port}");

        Assert.Equal(ExitCodes.Failure, code);
        Assert.Empty(output);
        Assert.Equal(
            $"actorbackup status: error: cannot reach the admin endpoint http://127.0.0.1:{port}/status: Connection refused (127.0.0.1:{port}) (hint: is a node running there? see actorbackup.admin.endpoint)\n",
            err);
    }

    [Fact]
    public async Task An_admin_value_that_is_not_a_url_is_a_usage_error()
    {
        var (code, _, err) = await Run("status", "--admin", "localhost:8558");

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Equal("actorbackup status: error: --admin must be an http:// URL (got 'localhost:8558') (hint: see `actorbackup status --help`)\n", err);
    }

    [Fact]
    public async Task The_status_of_a_live_node_is_a_readable_summary_or_the_raw_json()
    {
        var port = FreePort.Next();
        var node = BackupNode.Start(NodeConfiguration.FromConfig(
            ConfigurationFactory.ParseString(_files.NodeHocon("solo", "eu-west", port, FreePort.Next(), port, TestNodeFiles.VotesInFourShards)), "solo"));
        await using var running = node;
        var output = await Eventually.Passes(async () =>
        {
            var (_, text, _) = await Run("status", "--admin", node.AdminUrl);
            Assert.Contains($"under-replicated votes/003 [c0000000, maxval): 1 of 2 on {node.Address}", text);
            return text;
        }, TimeSpan.FromSeconds(30));

        Assert.Contains($"Members (1):\n  {node.Address}  eu-west      up         reachable  pid {Environment.ProcessId}\n", output);
        Assert.Contains("Table votes: 0 of 4 shards at R=2, 0 records\n", output);
        Assert.Contains("  under-replicated votes/000 [minval, 40000000): 1 of 2 on " + node.Address + " (eu-west)\n", output);
        Assert.Contains("Restorable point: none yet (a shard has no watermark)\n", output);
        Assert.Contains("RPO: unknown\n", output);
        Assert.Contains("Quarantined records: 0\n", output);

        var (code, json, _) = await Run("status", "--admin", node.AdminUrl, "--json");

        Assert.Equal(ExitCodes.Ok, code);
        var status = StatusJson.Read(json);
        Assert.Equal([node.Address], status.Members.Select(m => m.Address));
        Assert.Equal(4, status.Shards.Count);
    }
}
