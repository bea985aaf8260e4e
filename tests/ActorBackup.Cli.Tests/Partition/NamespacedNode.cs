using ActorBackup.Cli.Verbs.Demo;
using ActorBackup.Testing.Network;

namespace ActorBackup.Cli.Tests.Partition;

/// <summary>
/// An `actorbackup node` process inside a network namespace: its cluster and admin ports on the namespace's
/// address, the source reached through the host's bridge address, and failure detectors quick enough that a
/// partition is seen within about two seconds.
/// </summary>
internal sealed record NamespacedNode(string Name, string Region, NetworkNamespace Namespace, int Port, int AdminPort)
{
    /// <summary>The nodes' catch-up margin: a replica that lost its source may still claim up to that much before it.</summary>
    public const int CatchUpMarginSeconds = 2;

    public string Address => $"akka.tcp://actorbackup@{Namespace.Address}:{Port}";

    public Uri AdminUrl => new($"http://{Namespace.Address}:{AdminPort}/");

    public string Hocon(string workDir, string source, string keysFile, IEnumerable<NamespacedNode> seeds, int shards, int replicas) => $$"""
        actorbackup {
          region = "{{Region}}"
          sources = ["{{source}}"]
          federation-keys = "{{keysFile}}"
          data-dir = "{{Path.Combine(workDir, Name)}}"
          tables = [bigchain, votes]
          shards = {{shards}}
          replicas = {{replicas}}
          catch-up-margin = {{CatchUpMarginSeconds}}s
          anti-entropy-interval = 2s
          admin.endpoint = "{{Namespace.Address}}:{{AdminPort}}"
          batch.max-latency = 100ms
          restart-backoff { min = 200ms, max = 2s }
          node {
            placement-debounce = 200ms
            status-interval = 300ms
            status-timeout = 3s
          }
        }
        akka {
          loglevel = WARNING
          stdout-loglevel = WARNING
          # Drops the connections of a partition within seconds (Akka's default waits two minutes), so that
          # healing takes the path of a long partition: new associations, not retransmitted TCP segments.
          remote.transport-failure-detector {
            heartbeat-interval = 500ms
            acceptable-heartbeat-pause = 2s
          }
          remote.dot-netty.tcp {
            hostname = "{{Namespace.Address}}"
            port = {{Port}}
          }
          cluster {
            seed-nodes = [{{string.Join(", ", seeds.Select(s => $"\"{s.Address}\""))}}]
            gossip-interval = 200ms
            failure-detector {
              heartbeat-interval = 200ms
              acceptable-heartbeat-pause = 1s
            }
            distributed-data.gossip-interval = 300ms
          }
        }
        """;

    /// <summary>Writes the node file and starts the node in its namespace.</summary>
    public ChildProcess Start(ChildProcesses children, string workDir, string hocon)
    {
        var config = Path.Combine(workDir, Name + ".conf");
        File.WriteAllText(config, hocon);
        var cli = Path.Combine(AppContext.BaseDirectory, "actorbackup.dll");
        return children.Start($"backup node {Name}", Namespace.StartInfo("dotnet", ["exec", cli, "node", "--config", config], workDir));
    }
}
