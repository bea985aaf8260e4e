namespace ActorBackup.Cluster.Placement;

/// <summary>
/// Which member owns each replica slot, for one membership. Shards with fewer eligible members
/// than R have fewer slots filled; a shard with no eligible member has none.
/// </summary>
public sealed class ShardPlacement
{
    private readonly Dictionary<(string Table, int Shard), IReadOnlyList<BackupMember>> _owners;

    internal ShardPlacement(Dictionary<(string Table, int Shard), IReadOnlyList<BackupMember>> owners, int replicas)
    {
        _owners = owners;
        Replicas = replicas;
    }

    /// <summary>The R the placement was computed for.</summary>
    public int Replicas { get; }

    /// <summary>The owners of a shard, replica 0 first; fewer than R when there are too few eligible members.</summary>
    public IReadOnlyList<BackupMember> OwnersOf(string table, int shard) =>
        _owners.TryGetValue((table, shard), out var owners) ? owners : [];

    /// <summary>Every filled slot and its owner.</summary>
    public IEnumerable<(ReplicaSlot Slot, BackupMember Owner)> Assignments =>
        _owners.SelectMany(kv => kv.Value.Select((owner, i) => (new ReplicaSlot(kv.Key.Table, kv.Key.Shard, i), owner)));

    /// <summary>The slots a member owns, in table then shard order.</summary>
    public IReadOnlyList<ReplicaSlot> SlotsOf(string address) =>
        Assignments.Where(a => a.Owner.Address == address).Select(a => a.Slot)
            .OrderBy(s => s.Table, StringComparer.Ordinal).ThenBy(s => s.Shard).ToArray();
}
