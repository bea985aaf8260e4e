namespace ActorBackup.Cluster.Journal.Events;

/// <summary>
/// Hashes the node's documents name again and again, numbered from <see cref="First"/> in order
/// (<see cref="Serialization.Documents.InternedHashes"/>); persisted before any payload names them by number.
/// </summary>
/// <param name="Hashes">The hashes, 32 bytes each, one after the other.</param>
public sealed record HashesInterned(int First, byte[] Hashes) : INodeStoreEvent
{
    public bool Equals(HashesInterned? other) => other is not null && First == other.First && Hashes.AsSpan().SequenceEqual(other.Hashes);
    public override int GetHashCode() => HashCode.Combine(First, Hashes.Length);
}
