using System.Globalization;

namespace ActorBackup.Cluster.Replica;

/// <summary>
/// The shard a replica actor holds. A node holds at most one replica of a shard, so the replica
/// index chosen by placement is not part of the identity: a node keeps its data when its index changes.
/// </summary>
public readonly record struct ReplicaId(string Table, int Shard)
{
    /// <summary>The persistence id of the replica's journal, e.g. "replica-votes-017".</summary>
    public string PersistenceId => string.Create(CultureInfo.InvariantCulture, $"replica-{Table}-{Shard:D3}");

    public override string ToString() => PersistenceId;
}
