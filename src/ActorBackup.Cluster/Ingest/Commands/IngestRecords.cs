namespace ActorBackup.Cluster.Ingest.Commands;

/// <summary>
/// Store raw documents of <paramref name="Table"/> from outside the federation's feeds (an imported archive): each is
/// verified like a captured one and written to every owner of its shard. Answered with <see cref="Replies.IngestAck"/>
/// once durable on R replicas, or <see cref="Replies.IngestFailed"/>. Local to the node that received the import.
/// </summary>
/// <param name="Documents">Each a document's JSON bytes, kept as given.</param>
public sealed record IngestRecords(string Table, IReadOnlyList<ReadOnlyMemory<byte>> Documents);
