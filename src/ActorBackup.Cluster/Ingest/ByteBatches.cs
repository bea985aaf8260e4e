namespace ActorBackup.Cluster.Ingest;

/// <summary>Cuts items into consecutive batches bounded by a count and by the bytes they carry.</summary>
public static class ByteBatches
{
    /// <summary>Batches of at most <paramref name="maxItems"/> and <paramref name="maxBytes"/>, in order; a single larger item forms a batch of its own.</summary>
    public static IEnumerable<IReadOnlyList<T>> Cut<T>(IEnumerable<T> items, Func<T, int> bytesOf, int maxItems, long maxBytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxItems, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBytes, 1);
        var batch = new List<T>();
        var bytes = 0L;
        foreach (var item in items)
        {
            var size = bytesOf(item);
            if (batch.Count > 0 && (batch.Count == maxItems || bytes + size > maxBytes))
            {
                yield return batch;
                batch = [];
                bytes = 0;
            }
            batch.Add(item);
            bytes += size;
        }
        if (batch.Count > 0) yield return batch;
    }
}
