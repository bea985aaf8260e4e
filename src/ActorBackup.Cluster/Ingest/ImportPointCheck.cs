using ActorBackup.Admin.Contract;
using ActorBackup.Cluster.Replica;

namespace ActorBackup.Cluster.Ingest;

/// <summary>
/// Whether the replicas of a shard may have their watermark raised to an import's point T. A watermark claims that
/// every record up to it is on that replica, so raising one is allowed only where that holds:
/// <list type="bullet">
/// <item>Every current owner must hold the same verified records up to T (equal count and digest). The import wrote
/// its records to the owners of each shard; an owner placed since then that has not been repaired yet lacks them and
/// differs, and its watermark is left alone.</item>
/// <item>A shard whose owners are all at or past T already claims T, whatever they hold: nothing to check there.</item>
/// </list>
/// Watermarks are only ever raised (<see cref="Watermark.Max"/> in the replica): a replica past T keeps its own.
/// </summary>
public static class ImportPointCheck
{
    /// <summary>The verified records up to <paramref name="at"/> the shard holds, or the one-line reason its owners may not claim them.</summary>
    public static (long Records, string? Refusal) Decide(ReplicaId replica, Watermark at, IReadOnlyList<OwnerHoldings> owners)
    {
        var held = owners.Min(o => o.Count);
        if (owners.All(o => o.Watermark >= at))
            return (held, null);
        if (owners.Select(o => (o.Count, o.Digest)).Distinct().Count() == 1)
            return (held, null);
        var each = string.Join(", ", owners.Select(o => $"{o.Count} on {o.Owner}"));
        return (held, $"the replicas of shard {replica.Table}/{replica.Shard:D3} hold different records up to {at} ({each}), so not all of them got the import; "
                      + "wait until repair has made them equal (status shows one digest per shard) and run the import again");
    }
}
