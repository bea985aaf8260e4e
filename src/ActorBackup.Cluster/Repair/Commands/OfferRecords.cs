using ActorBackup.Cluster.Messages;
using ActorBackup.Cluster.Replica;

namespace ActorBackup.Cluster.Repair.Commands;

/// <summary>
/// A sibling asks for the stored records among <paramref name="Ids"/> (at most one page of ids), answered
/// with <see cref="Replies.RecordsOffer"/>; ids not stored (or only quarantined) are left out.
/// </summary>
public sealed record OfferRecords(ReplicaId Replica, IReadOnlyList<string> Ids) : IBackupMessage
{
    public bool Equals(OfferRecords? other) => other is not null && Replica == other.Replica && Ids.SequenceEqual(other.Ids);
    public override int GetHashCode() => HashCode.Combine(Replica, Ids.Count);
}
