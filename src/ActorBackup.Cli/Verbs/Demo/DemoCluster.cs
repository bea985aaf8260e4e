using System.Diagnostics;
using ActorBackup.Cli.CommandLine;

namespace ActorBackup.Cli.Verbs.Demo;

/// <summary>
/// The demo's backup cluster: one `actorbackup node` process per node (the CLI this process runs from, started with
/// `dotnet`), three over two regions unless the caller lays them out, each with its node file and data directory
/// under the work directory.
/// </summary>
internal sealed class DemoCluster
{
    /// <summary>The demo's nodes: three over two regions.</summary>
    public static IReadOnlyList<(string Name, string Region)> DemoLayout { get; } = [("eu-1", "eu-west"), ("eu-2", "eu-west"), ("us-1", "us-east")];

    private static readonly TimeSpan StartLimit = TimeSpan.FromSeconds(60);

    private DemoCluster(IReadOnlyList<DemoNode> nodes) => Nodes = nodes;

    public IReadOnlyList<DemoNode> Nodes { get; }

    public static Task<DemoCluster> StartAsync(
        ChildProcesses children, string cliDll, string workDir, string source, string keysFile, int shards, int replicas, CancellationToken ct) =>
        StartAsync(children, cliDll, workDir, DemoLayout, [source], keysFile, shards, replicas, ct);

    /// <summary>Starts one node per entry of <paramref name="layout"/>, each reading <paramref name="sources"/> in that order; the first is the seed.</summary>
    public static async Task<DemoCluster> StartAsync(
        ChildProcesses children, string cliDll, string workDir, IReadOnlyList<(string Name, string Region)> layout, IReadOnlyList<string> sources,
        string keysFile, int shards, int replicas, CancellationToken ct)
    {
        var seedPort = LocalPorts.Free();
        var files = layout.Select((n, i) => new DemoNodeFile(
            n.Name, n.Region, i == 0 ? seedPort : LocalPorts.Free(), LocalPorts.Free(), seedPort, sources, keysFile,
            Path.Combine(workDir, n.Name), shards, replicas)).ToArray();
        var nodes = new List<DemoNode>();
        foreach (var file in files)
        {
            var config = Path.Combine(workDir, file.Name + ".conf");
            await File.WriteAllTextAsync(config, file.Hocon, ct);
            var start = new ProcessStartInfo("dotnet") { WorkingDirectory = workDir };
            foreach (var a in new[] { "exec", cliDll, "node", "--config", config }) start.ArgumentList.Add(a);
            nodes.Add(new DemoNode(file, config, children.Start($"backup node {file.Name}", start)));
        }
        foreach (var node in nodes)
        {
            var line = await node.Process.WaitForLineAsync(l => l.StartsWith("actorbackup node: akka.", StringComparison.Ordinal), StartLimit, ct);
            if (line is null)
            {
                throw new CliError(node.Process.HasExited
                    ? $"backup node {node.File.Name} exited with code {node.Process.Process.ExitCode}: {node.Process.Tail}"
                    : $"backup node {node.File.Name} did not start within {StartLimit.TotalSeconds:0} s: {node.Process.Tail}");
            }
        }
        return new DemoCluster(nodes);
    }
}
