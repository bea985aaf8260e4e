namespace ActorBackup.Cluster.Ingest;

/// <summary>A batch could not be made durable on R replicas; the message is one line.</summary>
public sealed class IngestException(string message, bool retryable) : Exception(message)
{
    /// <summary>Whether sending the batch again may succeed.</summary>
    public bool Retryable { get; } = retryable;
}
