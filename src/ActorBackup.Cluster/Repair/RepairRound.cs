using ActorBackup.Admin.Contract;
using ActorBackup.Cluster.Reading;
using ActorBackup.Cluster.Records;
using ActorBackup.Cluster.Replica;
using ActorBackup.Cluster.Replica.Commands;
using ActorBackup.Cluster.Replica.Replies;
using ActorBackup.Cluster.Repair.Commands;
using ActorBackup.Cluster.Repair.Replies;
using ActorBackup.Cluster.Verification;
using Akka;
using Akka.Actor;
using Akka.Streams;
using Akka.Streams.Dsl;

namespace ActorBackup.Cluster.Repair;

/// <summary>
/// One comparison of the local replica with one sibling, pulling what is missing here. It runs off the
/// <see cref="RepairActor"/>'s thread and touches nothing of the actor, so the actor keeps answering
/// its siblings (which may be comparing with it at the same moment) while a round runs. Every pulled record is
/// verified here (<see cref="ReceivedRecords"/>) whatever the sibling says of it; one that fails is quarantined
/// with the sibling named. The sibling's point raises the local watermark only as far as <see cref="RepairEvidence"/> allows.
/// </summary>
internal sealed class RepairRound(
    ReplicaId replica, IActorRef local, StoredIdReader index, IdBuckets buckets, RepairOptions options, IMaterializer materializer,
    ReceivedRecords received, Watermark ownPoint)
{
    private long _repaired;
    private long _duplicates;
    private long _batches;
    private long _batchId;
    private long _rejected;
    private string? _firstRejection;
    private RepairEvidence? _evidence;

    public async Task<SiblingOutcome> WithAsync(ActorPath siblingPath, ActorSelection selection)
    {
        var bulk = false;
        var sender = siblingPath.Address.ToString();
        try
        {
            // A node that has not placed the slot answers at once that nothing is there, where a request would go to
            // its dead letters and be waited for until the ask timeout. So does our own node for an address it cannot
            // reach at the moment (its dead letters answer an Identify too).
            var identity = await Ask<ActorIdentity>(selection, new Identify(null));
            if (identity.Subject is not { } sibling)
                return new SiblingOutcome(siblingPath, 0, 0, 0, false, $"{siblingPath}: no repair actor for {replica} there (slot not placed there yet, or the node unreachable)", NotPlaced: true);
            // The local index file is read next: it must hold what the replica holds.
            await Ask<IndexFlushed>(local, FlushIndex.Instance);
            var theirs = await Ask<BucketDigests>(sibling, new GetBucketDigests(replica));
            var plan = RepairPlanner.Plan(index.BucketDigests(replica, buckets), theirs.Buckets, options.FarBehind);
            switch (plan)
            {
                case RepairPlan.BulkFill:
                    bulk = true;
                    await PullAsync(sibling, sender, new OfferAllRecords(replica));
                    break;
                case RepairPlan.PullBuckets pull:
                    var missing = new MissingIds(options.IdsPerPage, options.MessageBytes);
                    foreach (var bucket in pull.Buckets) await ListBucketAsync(sibling, sender, bucket, missing);
                    if (missing.Count > 0) await PullAsync(sibling, sender, new OfferRecords(replica, missing.Take()));
                    break;
            }
            // Every record the sibling held up to its point is now here too: the point was read before its digests,
            // and each bucket was either equal or fully listed after that. How far that point counts here is for the
            // evidence to say.
            var held = await Ask<ReplicaStatus>(local, GetReplicaStatus.Instance);
            var ceiling = options.Clock() is { } sourceNow
                ? Watermark.At(Math.Max(0, sourceNow.ToUnixTimeSeconds() - (long)Math.Ceiling(options.CatchUpMargin.TotalSeconds)))
                : Watermark.None;
            _evidence = new RepairEvidence(theirs.Attested, ownPoint, ceiling);
            if (_evidence.Allowed > held.BackedUpTo)
                await Ask<WatermarkAck>(local, AdvanceWatermark.Local(_evidence.Allowed));
            return Outcome(siblingPath, bulk, null);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return Outcome(siblingPath, bulk, $"{siblingPath}: {(e is AggregateException { InnerException: { } inner } ? inner : e).Message}");
        }
    }

    private SiblingOutcome Outcome(ActorPath sibling, bool bulk, string? error) =>
        new(sibling, _repaired, _duplicates, _batches, bulk, error)
        {
            Rejected = Interlocked.Read(ref _rejected),
            FirstRejection = Volatile.Read(ref _firstRejection),
            Evidence = _evidence,
        };

    /// <summary>Lists a bucket at the sibling, pulling the missing ids whenever they fill one request.</summary>
    private async Task ListBucketAsync(IActorRef sibling, string sender, int bucket, MissingIds missing)
    {
        string? after = null;
        do
        {
            var page = await Ask<BucketIds>(sibling, new GetBucketIds(replica, bucket, after));
            foreach (var id in RepairPlanner.Missing(page.Ids, index.Stored(replica, page.Ids)))
                if (missing.Add(id)) await PullAsync(sibling, sender, new OfferRecords(replica, missing.Take()));
            after = page.Next;
        }
        while (after is not null);
    }

    /// <summary>
    /// Stores an offered stream with one write in flight: the stream ref only asks the sibling for more
    /// as writes are acknowledged here, so a slow disk slows the sender. The small batches sent between
    /// nodes are regrouped into journal writes as large as capture's, one fsync each.
    /// </summary>
    private async Task PullAsync(IActorRef sibling, string sender, object request)
    {
        var offer = await Ask<RecordsOffer>(sibling, request);
        await offer.Records.Source
            .SelectMany(batch =>
            {
                Interlocked.Increment(ref _batches);
                return batch.Records;
            })
            .GroupedWeightedWithin(options.StoreBytes, options.BatchRecords, options.WriteLatency, r => r.Json.Length)
            .SelectAsync(1, records => StoreAsync(records.ToArray(), sender))
            .RunWith(Sink.Ignore<Done>(), materializer);
    }

    /// <summary>Verifies the pulled records here, stores those that pass and quarantines the others.</summary>
    private async Task<Done> StoreAsync(IReadOnlyList<CapturedRecord> records, string sender)
    {
        var checkedRecords = await Task.Run(() => received.Check(records, $"received by repair from {sender}"));
        if (checkedRecords.Verified.Count > 0)
        {
            var ack = await Ask<RecordsStoredAck>(local, StoreRecords.Local(Interlocked.Increment(ref _batchId), checkedRecords.Verified));
            Interlocked.Add(ref _repaired, ack.Stored);
            Interlocked.Add(ref _duplicates, ack.Duplicates);
        }
        if (checkedRecords.Rejected.Count > 0)
        {
            await Ask<RecordsQuarantinedAck>(local, QuarantineRecords.Local(Interlocked.Increment(ref _batchId), checkedRecords.Rejected));
            Interlocked.Add(ref _rejected, checkedRecords.Rejected.Count);
            var first = checkedRecords.Rejected[0];
            Interlocked.CompareExchange(ref _firstRejection, $"{first.Record.Id}: {first.ReasonCode}: {first.Message}", null);
        }
        return Done.Instance;
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
