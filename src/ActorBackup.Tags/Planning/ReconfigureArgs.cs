using System.Globalization;

namespace ActorBackup.Tags.Planning;

/// <summary>
/// The optargs of one <c>reconfigure</c>: the table keeps its shard count, each shard gets
/// <see cref="OriginalReplicas"/> replicas on original-tagged servers and <see cref="BackupReplicas"/> on
/// backup-tagged ones, and every primary stays on an original server.
/// </summary>
public sealed record ReconfigureArgs(int Shards, TagNames Tags, int OriginalReplicas, int BackupReplicas)
{
    /// <summary>The <c>replicas</c> object, original tag first.</summary>
    public IReadOnlyList<KeyValuePair<string, int>> ReplicasByTag =>
        [new(Tags.Original, OriginalReplicas), new(Tags.Backup, BackupReplicas)];

    public string PrimaryReplicaTag => Tags.Original;

    /// <summary>"{original: 3, backup: 1}".</summary>
    public string ReplicasText => "{" + string.Join(", ", ReplicasByTag.Select(kv => $"{kv.Key}: {kv.Value.ToString(CultureInfo.InvariantCulture)}")) + "}";

    /// <summary>The call as the Data Explorer would show it.</summary>
    public string ToCall(TableRef table) =>
        $"r.db(\"{table.Db}\").table(\"{table.Name}\").reconfigure({{shards: {Shards.ToString(CultureInfo.InvariantCulture)}, "
        + $"replicas: {ReplicasText}, primary_replica_tag: \"{PrimaryReplicaTag}\"}})";
}
