using ActorBackup.Cluster.Replica;
using Akka.Actor;

namespace ActorBackup.Cluster.Node;

/// <summary>
/// The names and paths of a node's actors. Every node uses the same ones, so another node reaches the journal or the
/// repair actor of a replica by its path alone, e.g. <c>/user/placement/votes-017/journal</c> and
/// <c>/user/placement/votes-017/repair-votes-017</c>.
/// </summary>
public static class NodeActorPaths
{
    /// <summary>The placement actor, parent of one actor per owned replica.</summary>
    public const string Placement = "placement";

    /// <summary>The publisher of this node's replica status.</summary>
    public const string Status = "status";

    /// <summary>The reader of the tables' metadata.</summary>
    public const string TableMetadata = "table-metadata";

    /// <summary>The keeper of the node's own journal entry: zstd dictionaries and encryption keys in use.</summary>
    public const string NodeStore = "node-store";

    /// <summary>The actor that truncates the SQLite write-ahead logs.</summary>
    public const string WalCheckpoints = "wal-checkpoints";

    /// <summary>The actor taking imports.</summary>
    public const string Ingest = "ingest";

    /// <summary>The actor verifying and storing the records another node's import sends to this node's replicas.</summary>
    public const string ImportReceiver = "import-receiver";

    /// <summary>The journal of a replica, child of the replica's actor.</summary>
    public const string Journal = "journal";

    /// <summary>The point a replica's own capture confirmed, child of the replica's actor.</summary>
    public const string CapturePoint = "capture-point";

    /// <summary>Child of a capture actor: the replica's reconciliation with the source.</summary>
    public const string Reconcile = "reconcile";

    /// <summary>The name of a replica's actor under <see cref="Placement"/>, e.g. "votes-017".</summary>
    public static string ReplicaName(ReplicaId replica) => $"{replica.Table}-{replica.Shard:D3}";

    /// <summary>The name of a replica's repair actor, child of the replica's actor, e.g. "repair-votes-017".</summary>
    public static string RepairName(ReplicaId replica) => $"repair-{replica.Table}-{replica.Shard:D3}";

    /// <summary>The placement actor of the node at <paramref name="node"/>.</summary>
    public static ActorPath PlacementOf(Address node) => new RootActorPath(node) / "user" / Placement;

    /// <summary>The <see cref="ImportReceiver"/> of the node at <paramref name="node"/>.</summary>
    public static ActorPath ImportReceiverOf(Address node) => new RootActorPath(node) / "user" / ImportReceiver;

    /// <summary>The journal of <paramref name="replica"/> on the node at <paramref name="node"/>.</summary>
    public static ActorPath JournalOf(Address node, ReplicaId replica) => PlacementOf(node) / ReplicaName(replica) / Journal;

    /// <summary>The actor at the same path as <paramref name="local"/> on the node at <paramref name="node"/>.</summary>
    public static ActorPath OnNode(ActorPath local, Address node) =>
        local.Elements.Aggregate((ActorPath)new RootActorPath(node), (path, element) => path / element);
}
