using ActorBackup.Cluster.Replica;
using Akka.Actor;

namespace ActorBackup.Cluster.Membership;

/// <summary>The replicas a node runs, each with its actor. Local to the node: never sent to another one.</summary>
public sealed record OwnedReplicas(IReadOnlyDictionary<ReplicaId, IActorRef> Replicas);
