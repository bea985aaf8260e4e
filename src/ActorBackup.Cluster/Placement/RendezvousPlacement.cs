namespace ActorBackup.Cluster.Placement;

/// <summary>
/// Placement without a coordinator: a pure function of the membership, so every node that sees the
/// same membership computes the same owners. Each shard ranks the eligible members by a stable
/// per-shard weight (highest-random-weight hashing); replicas take the best-ranked member of each
/// region first, then the best remaining members. A join or leave therefore only changes shards
/// whose owners include the member that came or went.
/// </summary>
public static class RendezvousPlacement
{
    public static ShardPlacement Compute(IEnumerable<BackupMember> members, IReadOnlyList<string> tables, int shards, int replicas)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(shards, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(replicas, 1);
        var eligible = members.Where(m => m.CanOwnReplicas).ToArray();
        var duplicate = eligible.GroupBy(m => m.Address).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
            throw new ArgumentException($"The membership lists {duplicate.Key} more than once.", nameof(members));

        var owners = new Dictionary<(string, int), IReadOnlyList<BackupMember>>();
        foreach (var table in tables)
        {
            for (var shard = 0; shard < shards; shard++)
                owners[(table, shard)] = Choose(eligible, table, shard, replicas);
        }
        return new ShardPlacement(owners, replicas);
    }

    private static IReadOnlyList<BackupMember> Choose(BackupMember[] eligible, string table, int shard, int replicas)
    {
        var ranked = eligible
            .OrderByDescending(m => StableHash.Weight(table, shard, m.Address))
            .ThenBy(m => m.Address, StringComparer.Ordinal)
            .ToArray();
        var chosen = new List<BackupMember>(replicas);
        var regions = new HashSet<string>(StringComparer.Ordinal);
        foreach (var member in ranked)
        {
            if (chosen.Count == replicas) break;
            if (regions.Add(member.Region)) chosen.Add(member);
        }
        foreach (var member in ranked)
        {
            if (chosen.Count == replicas) break;
            if (!chosen.Contains(member)) chosen.Add(member);
        }
        return chosen;
    }
}
