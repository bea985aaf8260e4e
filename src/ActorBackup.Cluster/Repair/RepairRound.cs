using ActorBackup.Cluster.Reading;
using ActorBackup.Cluster.Replica;
using ActorBackup.Cluster.Replica.Commands;
using ActorBackup.Cluster.Replica.Replies;
using ActorBackup.Cluster.Repair.Commands;
using ActorBackup.Cluster.Repair.Replies;
using Akka.Actor;
using Akka.Streams;
using Akka.Streams.Dsl;

namespace ActorBackup.Cluster.Repair;

/// <summary>
/// One comparison of the local replica with one sibling, pulling what is missing here. It runs off the
/// <see cref="RepairActor"/>'s thread and touches nothing of the actor, so the actor keeps answering
/// its siblings (which may be comparing with it at the same moment) while a round runs.
/// </summary>
internal sealed class RepairRound(
    ReplicaId replica, IActorRef local, StoredIdReader index, IdBuckets buckets, RepairOptions options, IMaterializer materializer)
{
    private long _repaired;
    private long _duplicates;
    private long _batches;
    private long _batchId;

    public async Task<SiblingOutcome> WithAsync(ActorPath siblingPath, ActorSelection selection)
    {
        var bulk = false;
        try
        {
            // A node that has not placed the slot answers at once that nothing is there, where a request would go to
            // its dead letters and be waited for until the ask timeout. So does our own node for an address it cannot
            // reach at the moment (its dead letters answer an Identify too).
            var identity = await Ask<ActorIdentity>(selection, new Identify(null));
            if (identity.Subject is not { } sibling)
                return new SiblingOutcome(siblingPath, 0, 0, 0, false, $"{siblingPath}: no repair actor for {replica} there (slot not placed there yet, or the node unreachable)", NotPlaced: true);
            // The local index file is read next: it must hold what the replica holds.
            var own = (await Ask<IndexFlushed>(local, FlushIndex.Instance)).Status;
            var theirs = await Ask<BucketDigests>(sibling, new GetBucketDigests(replica));
            var plan = RepairPlanner.Plan(index.BucketDigests(replica, buckets), theirs.Buckets, options.FarBehind);
            switch (plan)
            {
                case RepairPlan.BulkFill:
                    bulk = true;
                    await PullAsync(sibling, new OfferAllRecords(replica));
                    break;
                case RepairPlan.PullBuckets pull:
                    var missing = new MissingIds(options.IdsPerPage, options.MessageBytes);
                    foreach (var bucket in pull.Buckets) await ListBucketAsync(sibling, bucket, missing);
                    if (missing.Count > 0) await PullAsync(sibling, new OfferRecords(replica, missing.Take()));
                    break;
            }
            // Every record the sibling held up to its watermark is now here too: the watermark was read
            // before its digests, and each bucket was either equal or fully listed after that.
            if (theirs.BackedUpTo > own.BackedUpTo)
                await Ask<WatermarkAck>(local, new AdvanceWatermark(theirs.BackedUpTo));
            return new SiblingOutcome(siblingPath, _repaired, _duplicates, _batches, bulk, null);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return new SiblingOutcome(siblingPath, _repaired, _duplicates, _batches, bulk, $"{siblingPath}: {(e is AggregateException { InnerException: { } inner } ? inner : e).Message}");
        }
    }

    /// <summary>Lists a bucket at the sibling, pulling the missing ids whenever they fill one request.</summary>
    private async Task ListBucketAsync(IActorRef sibling, int bucket, MissingIds missing)
    {
        string? after = null;
        do
        {
            var page = await Ask<BucketIds>(sibling, new GetBucketIds(replica, bucket, after));
            foreach (var id in RepairPlanner.Missing(page.Ids, index.Stored(replica, page.Ids)))
                if (missing.Add(id)) await PullAsync(sibling, new OfferRecords(replica, missing.Take()));
            after = page.Next;
        }
        while (after is not null);
    }

    /// <summary>
    /// Stores an offered stream with one write in flight: the stream ref only asks the sibling for more
    /// as writes are acknowledged here, so a slow disk slows the sender. The small batches sent between
    /// nodes are regrouped into journal writes as large as capture's, one fsync each.
    /// </summary>
    private async Task PullAsync(IActorRef sibling, object request)
    {
        var offer = await Ask<RecordsOffer>(sibling, request);
        await offer.Records.Source
            .SelectMany(batch =>
            {
                Interlocked.Increment(ref _batches);
                return batch.Records;
            })
            .GroupedWeightedWithin(options.StoreBytes, options.BatchRecords, options.WriteLatency, r => r.Json.Length)
            .SelectAsync(1, records => StoreAsync(records.ToArray()))
            .RunWith(Sink.Ignore<RecordsStoredAck>(), materializer);
    }

    private async Task<RecordsStoredAck> StoreAsync(IReadOnlyList<Records.CapturedRecord> records)
    {
        if (records.FirstOrDefault(r => r.Verdict != Records.RecordVerdict.Verified) is { } odd)
            throw new InvalidOperationException($"the sibling sent record {odd.Id} with verdict {odd.Verdict} as stored");
        var ack = await Ask<RecordsStoredAck>(local, new StoreRecords(Interlocked.Increment(ref _batchId), records));
        Interlocked.Add(ref _repaired, ack.Stored);
        Interlocked.Add(ref _duplicates, ack.Duplicates);
        return ack;
    }

    private async Task<T> Ask<T>(ICanTell target, object message)
    {
        object reply;
        try
        {
            reply = await target.Ask<object>(message, options.AskTimeout);
        }
        catch (AskTimeoutException)
        {
            throw new TimeoutException(ReferenceEquals(target, local)
                ? $"the local replica did not answer {message.GetType().Name} within {options.AskTimeout.TotalSeconds:0.#}s"
                : $"no reply to {message.GetType().Name} within {options.AskTimeout.TotalSeconds:0.#}s (sibling down or overloaded)");
        }
        return reply switch
        {
            T expected => expected,
            RepairRefused refused => throw new InvalidOperationException($"refused: {refused.Reason}"),
            BatchRejected rejected => throw new InvalidOperationException($"the local replica rejected a pulled batch: {rejected.Reason}"),
            _ => throw new InvalidOperationException($"expected {typeof(T).Name} in reply to {message.GetType().Name}, got {reply.GetType().Name}"),
        };
    }
}
