using Akka.DistributedData;

namespace ActorBackup.Cluster.Status;

/// <summary>The replicated data the nodes share their status in.</summary>
public static class StatusKeys
{
    /// <summary>
    /// Every replica's <see cref="ReplicaReport"/> by <see cref="ReplicaReport.Key"/>. Each entry is
    /// written only by the node it names, so last-writer-wins never has two writers to choose between.
    /// </summary>
    public static LWWDictionaryKey<string, ReplicaReport> Replicas { get; } = new("actorbackup-replicas");
}
