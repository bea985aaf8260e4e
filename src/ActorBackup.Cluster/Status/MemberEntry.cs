namespace ActorBackup.Cluster.Status;

/// <summary>One member of the cluster.</summary>
/// <param name="Status">Akka membership status in lower case: joining, weakly-up, up, leaving, exiting, down.</param>
/// <param name="AdminUrl">The member's admin endpoint, where clients read its replicas; null when it did not publish one.</param>
public sealed record MemberEntry(string Address, string Region, string Status, bool Reachable, string? AdminUrl = null);
