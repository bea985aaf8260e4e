namespace ActorBackup.Cli.Verbs.Demo;

/// <summary>
/// The node file of one demo node: loopback addresses, a SQLite journal in the work directory, a small key space,
/// and failure detection, gossip and catch-up margins short enough that a killed node is replaced within seconds.
/// </summary>
internal sealed record DemoNodeFile(
    string Name, string Region, int Port, int AdminPort, int SeedPort, IReadOnlyList<string> Sources, string KeysFile, string DataDir, int Shards, int Replicas)
{
    public string Address => $"akka.tcp://actorbackup@127.0.0.1:{Port}";

    public string AdminUrl => $"http://127.0.0.1:{AdminPort}/";

    public string Hocon => $$"""
        # Demo node {{Name}}, written by `actorbackup demo` (see hocon/node.conf for every key).
        actorbackup {
          region = "{{Region}}"
          sources = [{{string.Join(", ", Sources.Select(s => $"\"{s}\""))}}]
          federation-keys = "{{KeysFile}}"
          data-dir = "{{DataDir}}"
          shards = {{Shards}}
          replicas = {{Replicas}}
          catch-up-margin = 2s
          anti-entropy-interval = 10s
          journal = "sqlite"
          admin.endpoint = "127.0.0.1:{{AdminPort}}"
          batch.max-latency = 100ms
          restart-backoff { min = 200ms, max = 2s }
          node {
            placement-debounce = 200ms
            status-interval = 500ms
            status-timeout = 3s
          }
        }
        akka {
          loglevel = WARNING
          stdout-loglevel = WARNING
          remote.dot-netty.tcp {
            hostname = "127.0.0.1"
            port = {{Port}}
          }
          cluster {
            seed-nodes = ["akka.tcp://actorbackup@127.0.0.1:{{SeedPort}}"]
            gossip-interval = 200ms
            failure-detector {
              heartbeat-interval = 200ms
              acceptable-heartbeat-pause = 1s
            }
            distributed-data.gossip-interval = 300ms
          }
        }
        """;
}
