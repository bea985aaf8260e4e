namespace ActorBackup.Cluster.Journal;

/// <summary>A node claiming its namespace in a shared PostgreSQL journal (<see cref="PostgreSqlNamespaceClaim"/>).</summary>
/// <param name="NodeId">The node's id (<see cref="Node.NodeId"/>): the same node restarting has the same.</param>
/// <param name="Host">The machine the node runs on, for an operator to find it by.</param>
/// <param name="DataDirectory">The node's data directory on that machine, for the same.</param>
public sealed record NamespaceClaimant(string NodeId, string Host, string DataDirectory);
