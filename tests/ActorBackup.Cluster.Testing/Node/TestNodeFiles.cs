using ActorBackup.Ledger.Simulation;
using ActorBackup.Sandbox.Nodes;

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
