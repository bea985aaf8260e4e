namespace ActorBackup.Cluster.Serialization.Documents;

/// <summary>
/// The first <see cref="Count"/> hashes of a node's <see cref="InternedHashes"/>, with the chain digest they end at:
/// what one payload is packed with and, read back, vouched for.
/// </summary>
public sealed class InternedPrefix
{
    private readonly InternedHashes _table;

    internal InternedPrefix(InternedHashes table, int count, ulong chain)
    {
        _table = table;
        Count = count;
        Chain = chain;
    }

    public int Count { get; }

    public ulong Chain { get; }

    /// <summary>The number of a hash of this prefix.</summary>
    public bool TryNumberOf(ReadOnlySpan<byte> hash, out int number) => _table.TryNumberOf(hash, Count, out number);

    /// <summary>The hash of this prefix a packed document names by <paramref name="number"/>.</summary>
    /// <exception cref="InvalidDataException">The prefix has no hash of that number.</exception>
    public byte[] HashAt(ulong number) => _table.HashAt(number, Count);

    /// <inheritdoc cref="InternedHashes.Met"/>
    public void Met(ReadOnlySpan<byte> hash, int replica) => _table.Met(hash, replica);
}
