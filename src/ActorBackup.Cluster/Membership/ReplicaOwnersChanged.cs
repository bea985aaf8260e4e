using Akka.Actor;

namespace ActorBackup.Cluster.Membership;

/// <summary>
/// Sent by the placement actor to a replica it runs whenever the set of nodes owning that replica's shard changes
/// (this node included), so that the replica knows its siblings for repair.
/// </summary>
public sealed record ReplicaOwnersChanged(IReadOnlyList<Address> Owners);
