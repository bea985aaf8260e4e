using System.Text.Json;
using ActorBackup.Cli.CommandLine;
using ActorBackup.Cli.Tests.CommandLine;
using ActorBackup.ReQL.Ast;
using ActorBackup.ReQL.Net;
using ActorBackup.Sandbox;

namespace ActorBackup.Cli.Tests.Drill;

/// <summary>`actorbackup drill --scenario kill-node` against three node processes capturing a live federation.</summary>
[Collection(ClusterProcesses.Name)]
public sealed class DrillAgainstClusterTests : IAsyncLifetime
{
    private readonly DrillTestbed _testbed = new();

    public Task InitializeAsync() => _testbed.StartAsync(LocalCluster.DemoLayout, sources: 1, shards: 4, replicas: 2);

    public Task DisposeAsync() => _testbed.DisposeAsync().AsTask();

    [Fact]
    public async Task Killing_a_node_loses_no_acknowledged_record_every_shard_gets_back_to_R_and_the_backup_restores_verified()
    {
        var source = _testbed.Cluster.Sources[0];
        var (refused, _, refusal) = await CliRun.RunAsync(
            "drill", "--admin", _testbed.Admin, "--scenario", "kill-node", "--scratch", "127.0.0.1:1", "--json");

        Assert.True(refused == ExitCodes.Failure, $"a drill without a usable scratch server exited with {refused}: {refusal}");
        Assert.StartsWith("actorbackup drill: error: cannot use the scratch RethinkDB at 127.0.0.1:1:", refusal);
        Assert.All(_testbed.Cluster.Nodes, n => Assert.False(n.Process.HasExited, $"{n.File.Name} was killed although the drill could not restore"));

        var (code, output, error) = await CliRun.RunAsync("drill", "--admin", _testbed.Admin, "--scenario", "kill-node", "--timeout", "60",
            "--scratch", source.Endpoint, "--scratch-db", "drill_kill_node", "--keep-scratch", "--json");

        Assert.True(code == 0, $"drill exited with {code}: {output}{error}");
        using var report = JsonDocument.Parse(output);
        var root = report.RootElement;
        Assert.True(root.GetProperty("passed").GetBoolean());
        Assert.Equal(0, root.GetProperty("recordsLost").GetInt64());
        Assert.True(root.GetProperty("acknowledgedBefore").GetInt64() > 0);
        Assert.True(root.GetProperty("backToRSeconds").GetDouble() > 0);
        var killed = root.GetProperty("killed")[0].GetProperty("pid").GetInt32();
        var victim = Assert.Single(_testbed.Cluster.Nodes, n => n.Process.Pid == killed);
        Assert.NotSame(_testbed.Cluster.Nodes[0], victim);
        Assert.True(victim.Process.HasExited);

        var restore = root.GetProperty("restore");
        Assert.Equal(("drill_kill_node", source.Endpoint), (restore.GetProperty("database").GetString(), restore.GetProperty("server").GetString()));
        Assert.True(restore.GetProperty("verified").GetBoolean());
        Assert.Equal(JsonValueKind.Null, restore.GetProperty("firstProblem").ValueKind);
        Assert.False(restore.GetProperty("dropped").GetBoolean());
        Assert.True(restore.GetProperty("seconds").GetDouble() > 0);
        var documents = restore.GetProperty("documents").GetInt64();
        Assert.True(documents >= root.GetProperty("acknowledgedBefore").GetInt64(), $"{documents} documents restored");
        Assert.Equal(documents, await CountAsync(source.Host, source.Port, "drill_kill_node"));

        var (checkCode, check, checkError) = await CliRun.RunAsync(
            "drill", "--admin", _testbed.Admin, "--scenario", "restore-check", "--source", source.Endpoint, "--json");

        Assert.True(checkCode == 0, $"restore-check exited with {checkCode}: {check}{checkError}");
        using var checkReport = JsonDocument.Parse(check);
        var checkRestore = checkReport.RootElement.GetProperty("restore");
        Assert.True(checkReport.RootElement.GetProperty("passed").GetBoolean());
        Assert.True(checkRestore.GetProperty("verified").GetBoolean());
        Assert.True(checkRestore.GetProperty("dropped").GetBoolean());
        Assert.True(checkRestore.GetProperty("documents").GetInt64() >= documents);
        Assert.StartsWith("actorbackup_drill_", checkRestore.GetProperty("database").GetString());
    }

    private static async Task<long> CountAsync(string host, int port, string db)
    {
        await using var connection = await Connection.ConnectAsync(new ConnectionOptions { Host = host, Port = port }, CancellationToken.None);
        long total = 0;
        foreach (var table in (await R.Db(db).TableList().RunAtomAsync(connection, CancellationToken.None)).EnumerateArray())
            total += (await R.Db(db).Table(table.GetString()!).Count().RunAtomAsync(connection, CancellationToken.None)).GetInt64();
        return total;
    }
}
