using ActorBackup.Sandbox.Nodes;
using ActorBackup.Sandbox.Processes;
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

    public string Address => NodeFile.AddressOf(Namespace.Address, Port);

    public Uri AdminUrl => new($"http://{Namespace.Address}:{AdminPort}/");

    /// <summary>
    /// The sandbox's node file with quick capture, on the namespace's address, seeded by <paramref name="seeds"/>; its
    /// admin endpoint is beyond loopback, so it asks for the token in <paramref name="adminTokenFile"/>.
    /// </summary>
    public NodeFile File(string workDir, string source, string keysFile, IEnumerable<NamespacedNode> seeds, int shards, int replicas, string adminTokenFile) =>
        new(Name, Region, Port, AdminPort, seeds.Select(s => $"{s.Namespace.Address}:{s.Port}").ToArray(), keysFile, Path.Combine(workDir, Name))
        {
            Host = Namespace.Address,
            AdminTokenFile = adminTokenFile,
            Sources = [source],
            Tables = ["bigchain", "votes"],
            Shards = shards,
            Replicas = replicas,
            Extra = NodeFile.QuickCapture + $$"""

                actorbackup {
                  catch-up-margin = {{CatchUpMarginSeconds}}s
                  anti-entropy-interval = 2s
                }
                # Drops the connections of a partition within seconds (Akka's default waits two minutes), so that
                # healing takes the path of a long partition: new associations, not retransmitted TCP segments.
                akka.remote.transport-failure-detector {
                  heartbeat-interval = 500ms
                  acceptable-heartbeat-pause = 2s
                }
                """,
        };

    /// <summary>Writes the node file and starts the node in its namespace.</summary>
    public ChildProcess Start(ChildProcesses children, string workDir, NodeFile file) =>
        NodeProcess.Start(children, Name, NodeProcess.CliOfThisProgram(), file.WriteTo(workDir), workDir, Namespace.StartInfo);
}
