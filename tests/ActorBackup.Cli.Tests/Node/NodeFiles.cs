using ActorBackup.Ledger.Simulation;

namespace ActorBackup.Cli.Tests.Node;

/// <summary>A temporary directory with a federation keys file and node files; deleted on dispose.</summary>
public sealed class NodeFiles : IDisposable
{
    public NodeFiles()
    {
        Directory.CreateDirectory(Root);
        File.WriteAllText(KeysFile, new FederationSimulator(new SimulationOptions("cli-node-tests", Nodes: 3)).KeyFile());
    }

    public string Root { get; } = Path.Combine(Path.GetTempPath(), "actorbackup-cli-node-" + Guid.NewGuid().ToString("N"));

    public string KeysFile => Path.Combine(Root, "federation-keys.json");

    public string Write(string name, string text)
    {
        var path = Path.Combine(Root, name);
        File.WriteAllText(path, text);
        return path;
    }

    /// <summary>HOCON of a loopback node with a small key space and fast failure detection.</summary>
    public string NodeHocon(string name, string region, int port, int adminPort, int seedPort) => $$"""
        actorbackup {
          region = "{{region}}"
          federation-keys = "{{KeysFile}}"
          data-dir = "{{Path.Combine(Root, name)}}"
          tables = [votes]
          shards = 4
          replicas = 2
          admin.endpoint = "127.0.0.1:{{adminPort}}"
          node { placement-debounce = 200ms, status-interval = 300ms }
        }
        akka {
          loglevel = WARNING
          stdout-loglevel = WARNING
          coordinated-shutdown.run-by-clr-shutdown-hook = off
          remote.dot-netty.tcp { hostname = "127.0.0.1", port = {{port}} }
          cluster {
            seed-nodes = ["akka.tcp://actorbackup@127.0.0.1:{{seedPort}}"]
            failure-detector { heartbeat-interval = 200ms, acceptable-heartbeat-pause = 1s }
            distributed-data.gossip-interval = 300ms
          }
        }
        """;

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException e)
        {
            Console.Error.WriteLine($"Could not delete {Root}: {e.Message}");
        }
    }
}
