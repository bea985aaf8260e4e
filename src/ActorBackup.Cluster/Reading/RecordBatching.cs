using ActorBackup.Cluster.Records;

namespace ActorBackup.Cluster.Reading;

/// <summary>
/// Cuts records into batches small enough for one remote message: Akka.Remote drops frames above
/// <c>akka.remote.dot-netty.tcp.maximum-frame-size</c> (8 MiB in reference.conf), so a batch is bounded by the raw
/// JSON bytes it carries, before compression, not only by a record count.
/// </summary>
public static class RecordBatching
{
    /// <summary>
    /// Consecutive batches of at most <paramref name="maxRecords"/> records and at most
    /// <paramref name="maxBytes"/> bytes of JSON, in order; a single larger record forms a batch of its own.
    /// </summary>
    public static IEnumerable<IReadOnlyList<CapturedRecord>> Cut(IEnumerable<CapturedRecord> records, int maxRecords, long maxBytes) =>
        Cut(records, r => r.Json.Length, maxRecords, maxBytes);

    /// <summary>The same cut for any item, given the bytes each one carries.</summary>
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
