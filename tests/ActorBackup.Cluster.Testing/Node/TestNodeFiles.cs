using ActorBackup.Ledger.Simulation;

namespace ActorBackup.Cluster.Tests.Node;

/// <summary>A temporary directory holding a federation keys file and node data directories; deleted on dispose.</summary>
public sealed class TestNodeFiles : IDisposable
{
    /// <summary>The simulator seed of the federation whose keys the nodes are given.</summary>
    public const string FederationSeed = "node-tests";

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

    /// <summary>HOCON of a loopback test node: small key space, fast failure detection and gossip.</summary>
    public string NodeHocon(string name, string region, int port, int adminPort, int seedPort, string extra = "") => $$"""
        actorbackup {
          region = "{{region}}"
          federation-keys = "{{KeysFile}}"
          data-dir = "{{DataDir(name)}}"
          shards = 8
          replicas = 2
          admin.endpoint = "127.0.0.1:{{adminPort}}"
          node {
            placement-debounce = 200ms
            status-interval = 300ms
            status-timeout = 3s
          }
        }
        akka {
          loglevel = WARNING
          stdout-loglevel = WARNING
          coordinated-shutdown.run-by-clr-shutdown-hook = off
          remote.dot-netty.tcp {
            hostname = "127.0.0.1"
            port = {{port}}
          }
          cluster {
            seed-nodes = ["akka.tcp://actorbackup@127.0.0.1:{{seedPort}}"]
            gossip-interval = 200ms
            failure-detector {
              heartbeat-interval = 200ms
              acceptable-heartbeat-pause = 1s
            }
            distributed-data.gossip-interval = 300ms
          }
        }
        {{extra}}
        """;

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
