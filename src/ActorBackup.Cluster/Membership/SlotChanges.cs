using ActorBackup.Cluster.Placement;
using ActorBackup.Cluster.Replica;

namespace ActorBackup.Cluster.Membership;

/// <summary>The replicas a node starts and stops to go from what it runs to what placement gives it.</summary>
public sealed record SlotChanges(IReadOnlyList<ReplicaId> ToStart, IReadOnlyList<ReplicaId> ToStop)
{
    public bool IsEmpty => ToStart.Count == 0 && ToStop.Count == 0;

    /// <summary>The replicas placement gives to <paramref name="address"/> (its replica index does not matter).</summary>
    public static IReadOnlySet<ReplicaId> OwnedBy(ShardPlacement placement, string address) =>
        placement.SlotsOf(address).Select(s => new ReplicaId(s.Table, s.Shard)).ToHashSet();

    public static SlotChanges Between(IEnumerable<ReplicaId> running, IEnumerable<ReplicaId> owned)
    {
        var have = running.ToHashSet();
        var want = owned.ToHashSet();
        return new SlotChanges(Sorted(want.Except(have)), Sorted(have.Except(want)));
    }

    private static ReplicaId[] Sorted(IEnumerable<ReplicaId> ids) =>
        ids.OrderBy(i => i.Table, StringComparer.Ordinal).ThenBy(i => i.Shard).ToArray();
}
