using ActorBackup.Cluster.Capture;
using ActorBackup.Cluster.Capture.Pipeline;
using ActorBackup.Cluster.Replica;
using ActorBackup.Cluster.Sharding;
using ActorBackup.Ledger.Validation;

namespace ActorBackup.Cluster.Ingest;

/// <summary>
/// Sorts raw documents into their shards and classifies each exactly as capture does (<see cref="RecordClassifier"/>
/// of that shard): a document without a usable id goes to the shard of whatever id it has, or the first one, and is
/// quarantined there under a derived key.
/// </summary>
public static class IngestPlan
{
    /// <summary>One <see cref="ShardWrite"/> per shard that received documents, in shard order.</summary>
    /// <exception cref="ArgumentException"><paramref name="table"/> is not a table capture supports.</exception>
    public static IReadOnlyList<ShardWrite> Build(string table, IEnumerable<ReadOnlyMemory<byte>> documents, KeySpace keys, LedgerValidator validator)
    {
        RecordKinds.Of(table);
        var byShard = new SortedDictionary<int, List<ReadOnlyMemory<byte>>>();
        foreach (var json in documents)
        {
            var id = DocumentId.TryRead(json.Span);
            var shard = string.IsNullOrEmpty(id) ? 0 : keys.ShardOf(id);
            if (!byShard.TryGetValue(shard, out var list))
                byShard[shard] = list = [];
            list.Add(json);
        }
        return byShard.Select(kv => Classify(new ReplicaId(table, kv.Key), keys.Ranges[kv.Key], kv.Value, validator)).ToArray();
    }

    private static ShardWrite Classify(ReplicaId replica, ShardRange range, IEnumerable<ReadOnlyMemory<byte>> documents, LedgerValidator validator)
    {
        var classifier = new RecordClassifier(replica, range, validator);
        var elements = documents.Select(json => classifier.Classify(new SourceDocument(json, DocumentOrigin.Scan))).ToArray();
        return new ShardWrite(replica,
            elements.OfType<ValidDocument>().Select(v => v.Record).ToArray(),
            elements.OfType<InvalidDocument>().Select(i => i.Record).ToArray());
    }
}
