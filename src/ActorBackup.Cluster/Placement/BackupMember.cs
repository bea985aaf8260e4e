namespace ActorBackup.Cluster.Placement;

/// <summary>One node of the backup cluster as placement sees it.</summary>
/// <param name="Address">The node's unique cluster address, e.g. "akka.tcp://actorbackup@10.0.0.5:4053".</param>
/// <param name="Region">The region label the node was started with.</param>
/// <param name="IsUp">Whether the node has joined (Up or WeaklyUp) and is not leaving.</param>
/// <param name="IsReachable">Whether the failure detector currently reaches the node.</param>
public sealed record BackupMember(string Address, string Region, bool IsUp = true, bool IsReachable = true)
{
    /// <summary>Only members that are up and reachable are given replicas.</summary>
    public bool CanOwnReplicas => IsUp && IsReachable;
}
