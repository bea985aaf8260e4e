namespace ActorBackup.Cluster.Node;

/// <summary>The node could not start although its configuration is valid; the message is one line naming what did not answer.</summary>
public sealed class NodeStartException(string message) : Exception(message);
