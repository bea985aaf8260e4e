namespace ActorBackup.Sandbox.Nodes;

/// <summary>
/// The node file of one backup node on this machine: its identity and addresses, the seeds, the sources and the key
/// space, with gossip, failure detection and status sharing quick enough that a node that joins, leaves or dies is seen
/// within about two seconds (<see cref="QuickTuning"/>). <see cref="Extra"/> is HOCON appended last, so it overrides
/// anything above it.
/// </summary>
/// <param name="Seeds">The seed nodes as "host:port" (the first node's own address makes it the seed).</param>
public sealed record NodeFile(
    string Name, string Region, int Port, int AdminPort, IReadOnlyList<string> Seeds, string KeysFile, string DataDir)
{
    /// <summary>Membership, gossip and status timings of a cluster that must settle in seconds, not minutes.</summary>
    public const string QuickTuning = """
        actorbackup.node {
          placement-debounce = 200ms
          status-interval = 300ms
          status-timeout = 3s
        }
        akka.cluster {
          gossip-interval = 200ms
          failure-detector {
            heartbeat-interval = 200ms
            acceptable-heartbeat-pause = 1s
          }
          distributed-data.gossip-interval = 300ms
        }
        """;

    /// <summary>
    /// Capture that resumes within seconds after a kill: a short catch-up margin (the federation runs on this machine's
    /// clock), quick backoff, small batches, frequent anti-entropy, SQLite journals.
    /// </summary>
    public const string QuickCapture = """
        actorbackup {
          catch-up-margin = 2s
          anti-entropy-interval = 10s
          journal = "sqlite"
          batch.max-latency = 100ms
          restart-backoff { min = 200ms, max = 2s }
        }
        """;

    /// <summary>The address the node listens on (loopback unless in a network namespace).</summary>
    public string Host { get; init; } = "127.0.0.1";

    /// <summary>RethinkDB servers as "host:port", read in order; none for a node that only takes imports.</summary>
    public IReadOnlyList<string> Sources { get; init; } = [];

    /// <summary>The tables backed up; null for the default (bigchain and votes).</summary>
    public IReadOnlyList<string>? Tables { get; init; }

    public int Shards { get; init; } = 8;

    public int Replicas { get; init; } = 2;

    /// <summary>HOCON for timings; <see cref="QuickTuning"/> unless a caller wants reference.conf's own.</summary>
    public string Tuning { get; init; } = QuickTuning;

    /// <summary>HOCON appended after everything else.</summary>
    public string Extra { get; init; } = "";

    /// <summary>
    /// The directory `actorbackup certs init` wrote, holding this node's certificate (by <see cref="Name"/>): the node
    /// then speaks mutual TLS to its peers and its seeds are akka.ssl.tcp addresses; null for plain TCP.
    /// </summary>
    public ActorBackup.Certificates.CertificateDirectory? Certificates { get; init; }

    /// <summary>
    /// The <c>NAME.conf</c> `actorbackup certs` wrote for this node, included at the top of the file as an operator's node
    /// file includes it: the node speaks mutual TLS with the files it names and its seeds are akka.ssl.tcp addresses;
    /// null to leave TLS to <see cref="Certificates"/>.
    /// </summary>
    public string? TlsInclude { get; init; }

    /// <summary>The file holding the admin token the node asks every caller for; null for an open endpoint (loopback only).</summary>
    public string? AdminTokenFile { get; init; }

    public string Address => AddressOf(Host, Port);

    public string AdminUrl => $"http://{Host}:{AdminPort}/";

    /// <summary>Writes the file as <c>NAME.conf</c> in <paramref name="directory"/>; its path.</summary>
    public string WriteTo(string directory)
    {
        var path = Path.Combine(directory, Name + ".conf");
        File.WriteAllText(path, Hocon);
        return path;
    }

    /// <summary>The cluster address of a node listening on <paramref name="host"/>:<paramref name="port"/>.</summary>
    public static string AddressOf(string host, int port) => $"akka.tcp://actorbackup@{host}:{port}";

    /// <summary>Whether the node speaks mutual TLS to its peers, so that its seeds are akka.ssl.tcp addresses.</summary>
    public bool SpeaksTls => Certificates is not null || TlsInclude is not null;

    public string Hocon => $$"""
        # Backup node {{Name}} on this machine (see hocon/node.conf for every key).
        {{(TlsInclude is { } include ? $"include \"{include}\"" : "")}}
        actorbackup {
          region = "{{Region}}"
          {{(Sources.Count > 0 ? $"sources = [{string.Join(", ", Sources.Select(s => $"\"{s}\""))}]" : "")}}
          federation-keys = "{{KeysFile}}"
          data-dir = "{{DataDir}}"
          {{(Tables is { } tables ? $"tables = [{string.Join(", ", tables)}]" : "")}}
          shards = {{Shards}}
          replicas = {{Replicas}}
          admin.endpoint = "{{Host}}:{{AdminPort}}"
          {{(AdminTokenFile is { } token ? $"admin.token-file = \"{token}\"" : "")}}
          {{(Certificates is { } certs ? $"tls {{ ca = \"{certs.CaCertificate}\", certificate = \"{certs.CertificateOf(Name)}\", key = \"{certs.KeyOf(Name)}\" }}" : "")}}
        }
        akka {
          loglevel = WARNING
          stdout-loglevel = WARNING
          coordinated-shutdown.run-by-clr-shutdown-hook = off
          remote.dot-netty.tcp {
            hostname = "{{Host}}"
            port = {{Port}}
          }
          cluster.seed-nodes = [{{string.Join(", ", Seeds.Select(s => $"\"{(SpeaksTls ? "akka.ssl.tcp" : "akka.tcp")}://actorbackup@{s}\""))}}]
        }
        {{Tuning}}
        {{Extra}}
        """;
}
