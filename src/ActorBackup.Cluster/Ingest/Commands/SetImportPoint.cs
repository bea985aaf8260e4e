using ActorBackup.Admin.Contract;


namespace ActorBackup.Cluster.Ingest.Commands;

/// <summary>
/// An import of <paramref name="Table"/> is complete up to <paramref name="At"/>: raise the watermark of every replica
/// of every shard of the table to it, after checking that they hold the imported records. Answered with
/// <see cref="Replies.ImportPointSet"/> once every replica confirmed, or <see cref="Replies.IngestFailed"/>. Local to the
/// node that received the import.
/// </summary>
/// <param name="MinRecords">
/// Verified records up to <paramref name="At"/> the import made durable: the replicas of the table must hold at least
/// these between them.
/// </param>
public sealed record SetImportPoint(string Table, Watermark At, long MinRecords);
