namespace ActorBackup.Admin.Contract.Status;

/// <summary>One member of the cluster.</summary>
/// <param name="Status">Akka membership status in lower case: joining, weakly-up, up, leaving, exiting, down.</param>
/// <param name="AdminUrl">The member's admin endpoint, where clients read its replicas; null when it did not publish one.</param>
/// <param name="Pid">The member's process id, from its own replica reports (null until it published one): what a drill stops.</param>
public sealed record MemberEntry(string Address, string Region, string Status, bool Reachable, string? AdminUrl = null, int? Pid = null);
