using ActorBackup.Cluster.Placement;
using ActorBackup.Cluster.Replica;

namespace ActorBackup.Cluster.Ingest;

/// <summary>The addresses of the owners of the shards an import step writes to, each of which must have R.</summary>
internal static class ShardOwners
{
    /// <summary>The owners of each of <paramref name="replicas"/> in <paramref name="placement"/>, replica 0 first.</summary>
    /// <param name="why">Completes the refusal: why the step needs R, e.g. "an import is acknowledged only when durable on R".</param>
    /// <exception cref="IngestException">A shard has fewer than R owners on reachable nodes (retryable).</exception>
    public static Dictionary<ReplicaId, string[]> AtLeastR(ShardPlacement placement, IEnumerable<ReplicaId> replicas, string why)
    {
        var owners = replicas.ToDictionary(r => r, r => placement.OwnersOf(r.Table, r.Shard).Select(m => m.Address).ToArray());
        foreach (var (replica, addresses) in owners)
        {
            if (addresses.Length < placement.Replicas)
            {
                throw new IngestException(
                    $"shard {replica.Table}/{replica.Shard:D3} has {addresses.Length} of {placement.Replicas} replicas on reachable nodes; {why}",
                    retryable: true);
            }
        }
        return owners;
    }
}
