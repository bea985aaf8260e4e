using ActorBackup.Ledger.Simulation;
using ActorBackup.Cluster.Node;
using ActorBackup.Sandbox;
using ActorBackup.Sandbox.Nodes;
using Akka.Configuration;

namespace ActorBackup.Cluster.Tests.Node;

/// <summary>A temporary directory holding a federation keys file and node data directories; deleted on dispose.</summary>
public sealed class TestNodeFiles : IDisposable
{
    /// <summary>The simulator seed of the federation whose keys the nodes are given.</summary>
    public const string FederationSeed = "node-tests";

    /// <summary>Extra HOCON for a node that backs up only votes, in four shards.</summary>
    public const string VotesInFourShards = "actorbackup { tables = [votes], shards = 4 }";

    public TestNodeFiles()
    {
        Directory.CreateDirectory(Root);
        using var simulator = new FederationSimulator(new SimulationOptions(FederationSeed, Nodes: 3));
        File.WriteAllText(KeysFile, simulator.KeyFile());
    }

    public string Root { get; } = Path.Combine(Path.GetTempPath(), "actorbackup-node-" + Guid.NewGuid().ToString("N"));

    public string KeysFile => Path.Combine(Root, "federation-keys.json");

    public string DataDir(string name) => Path.Combine(Root, name);

    /// <summary>Writes a file under the directory and returns its path.</summary>
    public string Write(string name, string text)
    {
        var path = Path.Combine(Root, name);
        File.WriteAllText(path, text);
        return path;
    }

    /// <summary>
    /// HOCON of a loopback test node: the sandbox's node file (small key space, fast failure detection and gossip) with
    /// <paramref name="extra"/> appended.
    /// </summary>
    public string NodeHocon(string name, string region, int port, int adminPort, int seedPort, string extra = "") =>
        new NodeFile(name, region, port, adminPort, [$"127.0.0.1:{seedPort}"], KeysFile, DataDir(name)) { Extra = extra }.Hocon;

    /// <summary>
    /// Starts one in-process node per region, "node0", "node1" and so on, on loopback; node0 is the seed of the others.
    /// <paramref name="extra"/> gives each node's extra HOCON by its number. The caller disposes the nodes.
    /// </summary>
    public IReadOnlyList<BackupNode> StartCluster(IReadOnlyList<string> regions, Func<int, string> extra)
    {
        var seedPort = FreePort.Next();
        var nodes = new List<BackupNode>();
        for (var i = 0; i < regions.Count; i++)
        {
            var port = i == 0 ? seedPort : FreePort.Next();
            var hocon = NodeHocon($"node{i}", regions[i], port, FreePort.Next(), seedPort, extra(i));
            nodes.Add(BackupNode.Start(NodeConfiguration.FromConfig(ConfigurationFactory.ParseString(hocon), $"node{i}")));
        }
        return nodes;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException e)
        {
            // A journal file still held open by a terminating system; the OS temp cleaner gets it.
            Console.Error.WriteLine($"Could not delete {Root}: {e.Message}");
        }
    }
}
