using ActorBackup.Bench.Capture;
using ActorBackup.Cluster.Capture.Pipeline;
using ActorBackup.Cluster.Records;
using ActorBackup.Cluster.Replica;
using ActorBackup.Cluster.Replica.Commands;
using ActorBackup.Cluster.Replica.Replies;
using ActorBackup.Cluster.Settings;
using ActorBackup.Cluster.Sharding;
using ActorBackup.Ledger.Validation;
using Akka.Actor;

namespace ActorBackup.Bench.Sources;

/// <summary>
/// The replicas of one node holding every shard of both tables (R = 1), each a real <see cref="ReplicaActor"/> over the
/// node's SQLite journal and record index, filled without capture: each document is made a record by capture's own
/// <see cref="RecordClassifier"/> (signatures verified, digest computed) and stored with <see cref="StoreRecords"/>, in
/// large batches, so the journal and the index hold exactly what capture would have stored.
/// </summary>
internal sealed class StoredReplicas
{
    private const int BatchRecords = 2000;
    private static readonly TimeSpan AskTimeout = TimeSpan.FromMinutes(5);

    private readonly KeySpace _keys;

    private StoredReplicas(KeySpace keys, IReadOnlyDictionary<ReplicaId, Replica> replicas)
    {
        _keys = keys;
        Replicas = replicas;
    }

    /// <summary>A replica's actor, its shard's range and the classifier capture would use for it.</summary>
    public sealed record Replica(IActorRef Actor, ShardRange Range, RecordClassifier Classifier);

    public IReadOnlyDictionary<ReplicaId, Replica> Replicas { get; }

    /// <summary>Starts a replica of every shard of both tables in <paramref name="system"/>.</summary>
    public static StoredReplicas Start(ActorSystem system, BackupSettings settings, LedgerValidator validator)
    {
        var keys = new KeySpace(settings.Shards);
        var options = ReplicaOptions.From(settings);
        var replicas = new Dictionary<ReplicaId, Replica>();
        foreach (var table in new[] { "bigchain", "votes" })
        {
            foreach (var range in keys.Ranges)
            {
                var replica = new ReplicaId(table, range.Shard);
                var actor = system.ActorOf(ReplicaActor.Props(replica, options), $"replica-{table}-{range.Shard}");
                replicas[replica] = new Replica(actor, range, new RecordClassifier(replica, range, validator));
            }
        }
        return new StoredReplicas(keys, replicas);
    }

    /// <summary>
    /// Stores <paramref name="documents"/> in their replicas, verified as capture verifies them; returns once the journal
    /// confirmed every batch and each replica wrote its index.
    /// </summary>
    /// <exception cref="InvalidOperationException">A document did not verify, or a replica stored fewer than it was given.</exception>
    public async Task StoreAsync(IReadOnlyList<CaptureLatencyBenchmark.Document> documents, CancellationToken ct)
    {
        var byReplica = documents.GroupBy(d => new ReplicaId(d.Table, _keys.ShardOf(d.Id)));
        await Parallel.ForEachAsync(byReplica, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount, CancellationToken = ct },
            async (group, token) =>
            {
                var replica = Replicas[group.Key];
                var batchId = 0L;
                var acks = new List<Task<object>>();
                foreach (var chunk in group.Chunk(BatchRecords))
                {
                    var records = chunk.Select(d => Verified(replica.Classifier, d)).ToArray();
                    acks.Add(replica.Actor.Ask<object>(StoreRecords.Local(++batchId, records), AskTimeout, token));
                }
                var stored = 0L;
                foreach (var ack in await Task.WhenAll(acks))
                {
                    stored += ack is RecordsStoredAck a ? a.Stored
                        : throw new InvalidOperationException($"{group.Key} refused a batch: {(ack as BatchRejected)?.Reason ?? ack.ToString()}");
                }
                if (stored != group.Count())
                    throw new InvalidOperationException($"{group.Key} stored {stored} of {group.Count()} records");
                await replica.Actor.Ask<IndexFlushed>(FlushIndex.Instance, AskTimeout, token);
            });
    }

    private static CapturedRecord Verified(RecordClassifier classifier, CaptureLatencyBenchmark.Document document) =>
        classifier.Classify(new SourceDocument(document.Json, DocumentOrigin.Scan)) switch
        {
            ValidDocument valid => valid.Record,
            InvalidDocument invalid => throw new InvalidOperationException($"{document.Table} {document.Id} does not verify: {invalid.Record.Message}"),
            var other => throw new InvalidOperationException($"{document.Table} {document.Id}: {other}"),
        };
}
