namespace ActorBackup.Tags.Planning;

/// <summary>What the operator asks for: the tags, replicas per shard on each, and the tables to lay out.</summary>
/// <param name="BackupReplicas">Replicas of each shard on backup-tagged servers.</param>
public sealed record TagLayoutRequest(TagNames Tags, int BackupReplicas, OriginalReplicas OriginalReplicas, IReadOnlyList<TableRef> Tables);
