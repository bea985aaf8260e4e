using System.Net.Http;
using ActorBackup.Admin.Contract.Status;
using ActorBackup.Cli.CommandLine;
using ActorBackup.Cluster.Node;
using ActorBackup.Cluster.Tests.Node;
using ActorBackup.Sandbox;
using ActorBackup.Sandbox.Nodes;
using ActorBackup.Sandbox.Processes;
using ActorBackup.Testing;
using Akka.Configuration;

namespace ActorBackup.Cli.Tests.Node;

/// <summary>`actorbackup node` as a real process beside a node in this process, in one cluster.</summary>
[Collection(ClusterProcesses.Name)]
public sealed class NodeProcessTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private readonly TestNodeFiles _files = new();
    private readonly ChildProcesses _children = new();
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };

    public void Dispose()
    {
        Assert.Empty(_children.KillAll());
        _http.Dispose();
        _files.Dispose();
    }

    private ChildProcess StartProcess(string configPath) =>
        NodeProcess.Start(_children, "process", NodeProcess.CliOfThisProgram(), configPath, _files.Root);

    private async Task<(BackupNode Survivor, ChildProcess Process, string ProcessAddress)> StartPair()
    {
        var seedPort = FreePort.Next();
        var survivor = BackupNode.Start(NodeConfiguration.FromConfig(
            ConfigurationFactory.ParseString(_files.NodeHocon("survivor", "eu-west", seedPort, FreePort.Next(), seedPort, TestNodeFiles.VotesInFourShards)), "survivor"));
        var port = FreePort.Next();
        var process = StartProcess(_files.Write("node.conf", _files.NodeHocon("process", "us-east", port, FreePort.Next(), seedPort, TestNodeFiles.VotesInFourShards)));
        var address = $"akka.tcp://actorbackup@127.0.0.1:{port}";
        var startup = await NodeProcess.WaitForStartAsync(process, CancellationToken.None);
        Assert.StartsWith($"actorbackup node: {address} region us-east, admin http://127.0.0.1:", startup);
        Assert.Contains($", journal sqlite {Path.Combine(_files.Root, "process", "journal.sqlite")}", startup);
        await Eventually.Passes(async () =>
        {
            var status = StatusJson.Read(await _http.GetStringAsync(survivor.AdminUrl + "status"));
            Assert.Contains(status.Members, m => m.Address == address && m.Status == "up");
            Assert.All(status.Shards, s => Assert.Equal(2, s.ReplicaCount));
        }, Patience);
        return (survivor, process, address);
    }

    [Fact]
    public async Task A_node_process_killed_with_SIGKILL_is_seen_unreachable_and_its_replicas_move_to_the_survivor()
    {
        var (survivor, process, address) = await StartPair();
        await using var survivorRunning = survivor;

        process.Kill();

        await Eventually.Passes(async () =>
        {
            var status = StatusJson.Read(await _http.GetStringAsync(survivor.AdminUrl + "status"));
            Assert.Contains(status.Members, m => m.Address == address && !m.Reachable);
            Assert.All(status.Shards, s => Assert.Contains(s.Replicas, r => r.Reachable && r.Node == survivor.Address));
        }, Patience);
    }

    [Fact]
    public async Task A_node_process_given_SIGTERM_leaves_the_cluster_and_exits_0()
    {
        var (survivor, process, address) = await StartPair();
        await using var survivorRunning = survivor;

        process.Terminate();

        Assert.Equal(ExitCodes.Ok, await process.WaitForExitAsync(Patience));
        Assert.Contains($"actorbackup node: {address} left the cluster and stopped", process.Lines);
        await Eventually.Passes(async () =>
        {
            var status = StatusJson.Read(await _http.GetStringAsync(survivor.AdminUrl + "status"));
            Assert.DoesNotContain(status.Members, m => m.Address == address);
        }, Patience);
    }

    [Fact]
    public async Task A_file_the_hocon_parser_would_loop_on_stops_the_node_with_one_line_and_exit_code_2()
    {
        var path = _files.Write("loop.conf", "actorbackup.region = [1, }");
        var process = StartProcess(path);

        var code = await process.WaitForExitAsync(Patience);

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Equal(
            [$"actorbackup node: error: {path} is not valid HOCON: the parser did not finish within 5 s (look for an unclosed list or object)."],
            process.Lines);
    }
}
