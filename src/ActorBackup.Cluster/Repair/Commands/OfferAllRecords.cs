using ActorBackup.Cluster.Messages;
using ActorBackup.Cluster.Replica;

namespace ActorBackup.Cluster.Repair.Commands;

/// <summary>A new or far-behind sibling asks for every stored record (<see cref="Replies.RecordsOffer"/>), for a bulk fill.</summary>
public sealed record OfferAllRecords(ReplicaId Replica) : IBackupMessage;
