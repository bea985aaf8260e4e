namespace ActorBackup.Cluster.Ingest.Replies;

/// <summary>
/// The batch is not durable on R replicas (an owner did not confirm, too few owners are reachable, the node cannot
/// verify). Part of it may be stored: sending it again is safe, storing is idempotent.
/// </summary>
/// <param name="Reason">One line.</param>
/// <param name="Retryable">Whether the same batch may succeed later (a timeout, an unreachable owner), or never will.</param>
public sealed record IngestFailed(string Reason, bool Retryable);
