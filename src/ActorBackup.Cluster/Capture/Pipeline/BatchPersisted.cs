namespace ActorBackup.Cluster.Capture.Pipeline;

/// <summary>
/// One batch is on disk in the replica's journal (every store and quarantine of it acknowledged). Sent by the
/// pipeline to its capture actor, in stream order.
/// </summary>
/// <param name="Documents">Documents the batch held, repeats included.</param>
/// <param name="Scanned">Of those, read by the catch-up scan.</param>
/// <param name="Stored">Records the journal stored new.</param>
/// <param name="Duplicates">Repeats: dropped by the recent window or already in the journal.</param>
/// <param name="Quarantined">Records the journal newly put in quarantine.</param>
/// <param name="Deletions">Deletions the feed reported (ignored: records are immutable).</param>
/// <param name="Checkpoint">The last checkpoint in the batch (Unix seconds): everything received before it is now on disk.</param>
/// <param name="CheckpointAwaitsReconciliationOf">That checkpoint's <see cref="Pipeline.Checkpoint.AwaitsReconciliationOf"/>.</param>
/// <param name="NewestRecord">The newest own timestamp (Unix seconds) of the records the batch handed the journal to store or quarantine, repeats included; null when it handed none.</param>
public sealed record BatchPersisted(
    long BatchId, int Documents, int Scanned, int Stored, int Duplicates, int Quarantined, int Deletions, long? Checkpoint,
    long? CheckpointAwaitsReconciliationOf = null, long? NewestRecord = null);
