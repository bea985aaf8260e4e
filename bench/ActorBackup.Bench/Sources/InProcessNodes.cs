using ActorBackup.Cluster.Node;
using ActorBackup.Sandbox;
using ActorBackup.Sandbox.Nodes;
using Akka.Configuration;

namespace ActorBackup.Bench.Sources;

/// <summary>
/// Backup nodes in the benchmark's own process, joined through the first: node0, node2, … in eu-west and node1, node3, …
/// in us-east, so that placement spreads R = 2 over two regions.
/// </summary>
internal static class InProcessNodes
{
    /// <param name="source">The source endpoint of node <c>i</c>.</param>
    /// <param name="extra">HOCON of node <c>i</c> added to its node file.</param>
    public static List<BackupNode> Start(int count, string keysFile, string root, int shards, int replicas, Func<int, string> source, Func<int, string> extra)
    {
        var nodes = new List<BackupNode>();
        var seedPort = FreePort.Next();
        for (var i = 0; i < count; i++)
        {
            var file = new NodeFile($"node{i}", i % 2 == 0 ? "eu-west" : "us-east", i == 0 ? seedPort : FreePort.Next(), FreePort.Next(),
                [$"127.0.0.1:{seedPort}"], keysFile, DirectoryOf(root, i))
            {
                Sources = [source(i)],
                Shards = shards,
                Replicas = replicas,
                Extra = $"""
                    {extra(i)}
                    akka.coordinated-shutdown.run-by-actor-system-terminate = off
                    """,
            };
            nodes.Add(BackupNode.Start(NodeConfiguration.FromConfig(ConfigurationFactory.ParseString(file.Hocon), file.Name)));
        }
        return nodes;
    }

    /// <summary>The data directory of node <paramref name="i"/> under <paramref name="root"/>.</summary>
    public static string DirectoryOf(string root, int i) => Path.Combine(root, $"node{i}");
}
