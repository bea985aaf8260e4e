namespace ActorBackup.Tags.Checking;

/// <summary>What `tags check` asks of every shard of <paramref name="Tables"/>.</summary>
/// <param name="BackupReplicas">Ready replicas each shard must have on backup-tagged servers.</param>
public sealed record TagCheckRequest(TagNames Tags, int BackupReplicas, IReadOnlyList<TableRef> Tables);
