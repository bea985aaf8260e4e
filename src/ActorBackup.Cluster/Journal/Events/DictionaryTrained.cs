namespace ActorBackup.Cluster.Journal.Events;

/// <summary>A zstd dictionary of a table, trained from this node's documents; persisted before any payload uses it.</summary>
public sealed record DictionaryTrained(string Table, uint Id, byte[] Bytes) : INodeStoreEvent
{
    public bool Equals(DictionaryTrained? other) => other is not null && Table == other.Table && Id == other.Id && Bytes.AsSpan().SequenceEqual(other.Bytes);
    public override int GetHashCode() => HashCode.Combine(Table, Id);
}
