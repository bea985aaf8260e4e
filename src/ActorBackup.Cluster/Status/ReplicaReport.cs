using ActorBackup.Admin.Contract;
using ActorBackup.Cluster.Messages;
using ActorBackup.Cluster.Records;

namespace ActorBackup.Cluster.Status;

/// <summary>
/// One replica's status as its node publishes it to the others (in Akka.DistributedData, under
/// <see cref="Key"/>). <see cref="Watermark"/> is the flushed watermark: only durable data counts.
/// </summary>
/// <param name="Node">Cluster address of the node holding the replica.</param>
/// <param name="Region">That node's region.</param>
/// <param name="Capture">How the replica's capture is going; null in reports of nodes that predate it.</param>
/// <param name="Pid">Process id of the node, so that a drill can stop it; null in reports of nodes that predate it.</param>
public sealed record ReplicaReport(
    string Node,
    string Region,
    string Table,
    int Shard,
    long Records,
    long Quarantined,
    Watermark Watermark,
    ShardDigest Digest,
    ReplicaCapture? Capture = null,
    int? Pid = null)
    : IBackupMessage
{
    /// <summary>"node|table|shard": one entry per replica, so a node owns and removes exactly its own entries.</summary>
    public string Key => KeyOf(Node, Table, Shard);

    public static string KeyOf(string node, string table, int shard) => $"{node}|{table}|{shard}";
}
