namespace ActorBackup.Cluster.Replica.Commands;

/// <summary>
/// Asks the replica to write its index buffer, answered with <see cref="Replies.IndexFlushed"/>: from then on the
/// index file, read on other connections, holds everything the replica had acknowledged when it answered.
/// Local only (the repair actor beside the replica), so it is not a cluster message.
/// </summary>
public sealed record FlushIndex
{
    public static FlushIndex Instance { get; } = new();
}
