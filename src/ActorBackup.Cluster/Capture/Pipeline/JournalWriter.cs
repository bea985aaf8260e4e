using ActorBackup.Cluster.Replica.Commands;
using ActorBackup.Cluster.Replica.Replies;
using Akka.Actor;

namespace ActorBackup.Cluster.Capture.Pipeline;

/// <summary>
/// Hands each batch to the replica's journal and waits for its acknowledgement; the pipeline keeps
/// <c>actorbackup.capture.journal-writes-in-flight</c> batches in flight. A journal that fails stops its actor without
/// a reply (its supervisor starts it again), so an unanswered write is sent again after <paramref name="timeout"/>:
/// storing is idempotent, and the pipeline waits meanwhile.
/// </summary>
public sealed class JournalWriter(IActorRef replica, TimeSpan timeout)
{
    private long _nextBatch;

    public async Task<BatchPersisted> PersistAsync(IReadOnlyCollection<CaptureElement> batch)
    {
        var id = ++_nextBatch;
        var valid = batch.OfType<ValidDocument>().Select(v => v.Record).ToArray();
        var invalid = batch.OfType<InvalidDocument>().Select(v => v.Record).ToArray();
        int stored = 0, duplicates = 0, quarantined = 0;
        if (valid.Length > 0)
        {
            var ack = Expect<RecordsStoredAck>(await AskUntilAnsweredAsync(StoreRecords.Local(id, valid)), id);
            (stored, duplicates) = (ack.Stored, ack.Duplicates);
        }
        if (invalid.Length > 0)
        {
            var ack = Expect<RecordsQuarantinedAck>(await AskUntilAnsweredAsync(QuarantineRecords.Local(id, invalid)), id);
            (quarantined, duplicates) = (ack.Stored, duplicates + ack.Duplicates);
        }
        var dropped = 0;
        var documents = 0;
        var scanned = 0;
        var deletions = 0;
        long? checkpoint = null;
        long? awaits = null;
        long? newest = null;
        foreach (var element in batch)
        {
            switch (element)
            {
                case DuplicateDropped d:
                    dropped++;
                    Count(d.Origin);
                    break;
                case ValidDocument v:
                    Count(v.Origin);
                    newest = Math.Max(newest ?? long.MinValue, v.Record.Timestamp);
                    break;
                case InvalidDocument q:
                    Count(q.Origin);
                    newest = Math.Max(newest ?? long.MinValue, q.Record.Record.Timestamp);
                    break;
                case SourceDeletion:
                    deletions++;
                    break;
                case Checkpoint c:
                    (checkpoint, awaits) = (c.UnixSeconds, c.AwaitsReconciliationOf);
                    break;
            }
        }
        return new BatchPersisted(id, documents, scanned, stored, duplicates + dropped, quarantined, deletions, checkpoint, awaits, newest);

        void Count(DocumentOrigin origin)
        {
            documents++;
            if (origin == DocumentOrigin.Scan) scanned++;
        }
    }

    private async Task<object> AskUntilAnsweredAsync(object command)
    {
        while (true)
        {
            try
            {
                return await replica.Ask<object>(command, timeout);
            }
            catch (AskTimeoutException)
            {
                // The journal restarted and lost the command, or is slow: send it again.
            }
        }
    }

    private static T Expect<T>(object reply, long batch) => reply switch
    {
        T expected => expected,
        BatchRejected rejected => throw new InvalidOperationException($"The journal rejected capture batch {batch}: {rejected.Reason}"),
        _ => throw new InvalidOperationException($"The journal answered capture batch {batch} with an unexpected {reply.GetType().Name}."),
    };
}
