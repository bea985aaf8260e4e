using ActorBackup.Cluster.Capture.Sources;
using ActorBackup.Cluster.Replica;
using Akka;
using Akka.Actor;
using Akka.Streams;
using Akka.Streams.Dsl;

namespace ActorBackup.Cluster.Capture.Pipeline;

/// <summary>
/// The stream of one replica, materialized by its <see cref="CaptureActor"/>: attempts restarted with backoff,
/// repeats dropped, documents validated in parallel, batched, written to the journal with the next batches already
/// on their way, and each acknowledged batch handed to the actor, which acknowledges it in turn. Every stage waits
/// for the one after it, so a slow journal slows the reading of the feed and the server's feed queue absorbs the rest.
/// </summary>
internal static class CapturePipeline
{
    public static UniqueKillSwitch Run(ReplicaId replica, CaptureEnvironment environment, IActorRef journal, IActorRef owner, IMaterializer materializer)
    {
        var range = environment.Keys.Ranges[replica.Shard];
        var classifier = new RecordClassifier(replica, range, environment.Validator);
        var capture = environment.Settings.Capture;
        var recent = new RecentWindow(capture.RecentWindow);
        var writer = new JournalWriter(journal, capture.JournalTimeout);
        var batch = environment.Settings.Batch;
        var backoff = environment.Settings.RestartBackoff;

        return RestartSource.WithBackoff(
                () => Attempt(replica, environment, owner),
                RestartSettings.Create(backoff.Min, backoff.Max, backoff.RandomFactor))
            .ViaMaterialized(KillSwitches.Single<CaptureElement>(), Keep.Right)
            .Select(element => DropRepeat(recent, element))
            .SelectAsync(capture.Parallelism, element => element is SourceDocument document
                ? Task.Run(() => classifier.Classify(document))
                : Task.FromResult(element))
            .GroupedWeightedWithin(batch.MaxBytes, batch.MaxRecords, batch.MaxLatency, Weight)
            // The next batches are handed to the journal while the previous one waits for its fsync. Results still come
            // out in batch order, so a checkpoint is reported only once every earlier batch is on disk.
            .SelectAsync(capture.JournalWritesInFlight, elements => writer.PersistAsync(elements.ToArray()))
            .ToMaterialized(
                Sink.ActorRefWithAck<BatchPersisted>(owner, StreamInit.Instance, StreamAck.Instance, StreamCompleted.Instance, e => new StreamFailed(e)),
                Keep.Left)
            .Run(materializer);
    }

    /// <summary>
    /// One attempt: ask the actor where to scan from, open the source, add checkpoints once the scan completed,
    /// and tell the actor how the attempt goes (for status).
    /// </summary>
    private static Source<CaptureElement, NotUsed> Attempt(ReplicaId replica, CaptureEnvironment environment, IActorRef owner)
    {
        var range = environment.Keys.Ranges[replica.Shard];
        return Source.FromTask(owner.Ask<AttemptPlan>(PlanAttempt.Instance, environment.Settings.Capture.JournalTimeout))
            .ConcatMany(plan => environment.Source.Open(new CaptureRequest(replica, range, plan.ScanFrom, plan.FirstSource))
                .WireTap(element =>
                {
                    if (element is FeedOpened or CatchUpByRange or ScanCompleted) owner.Tell(new AttemptProgress(plan.Attempt, element));
                })
                .Merge(Checkpoints(environment), eagerComplete: true)
                .StatefulSelectMany(() => OnlyCheckpointsAfterScan(plan.Attempt))
                .WatchTermination((_, done) =>
                {
                    done.ContinueWith(t => owner.Tell(new AttemptEnded(plan.Attempt, t.Exception?.GetBaseException())), TaskScheduler.Default);
                    return NotUsed.Instance;
                }));
    }

    private static Source<CaptureElement, NotUsed> Checkpoints(CaptureEnvironment environment) =>
        Source.Tick(environment.Settings.Capture.CheckpointInterval, environment.Settings.Capture.CheckpointInterval, NotUsed.Instance)
            .Select(_ => (CaptureElement)new CheckpointDue(environment.Clock()?.ToUnixTimeSeconds()))
            .MapMaterializedValue(_ => NotUsed.Instance);

    /// <summary>
    /// A checkpoint only means something once the scan has filled in everything before the feed opened. For a source
    /// that confirms it is reachable it claims the source's time in the last confirmation, which every element before
    /// it in the stream preceded: never a time the source has not reached, whatever this node's clock says. After a
    /// scan that awaits a reconciliation, every checkpoint of <paramref name="attempt"/> says so: the hold travels with
    /// the checkpoints it holds, not beside them.
    /// </summary>
    private static Func<CaptureElement, IEnumerable<CaptureElement>> OnlyCheckpointsAfterScan(long attempt)
    {
        var live = false;
        long? awaits = null;
        long? reachable = null;
        return element =>
        {
            switch (element)
            {
                case ScanCompleted completed:
                    live = true;
                    awaits = completed.AwaitsReconciliation ? attempt : null;
                    return [element];
                case SourceReachable confirmed:
                    reachable = Math.Max(reachable ?? long.MinValue, confirmed.UnixSeconds);
                    return [];
                case CheckpointDue when !live:
                    return [];
                case CheckpointDue when reachable is { } seen:
                    return [new Checkpoint(seen, awaits)];
                case CheckpointDue due:
                    // Before any source has been measured there is no source time to claim, so no checkpoint.
                    return due.SourceSeconds is { } now ? [new Checkpoint(now, awaits)] : [];
                default:
                    return [element];
            }
        };
    }

    /// <summary>
    /// The checkpoint interval has passed; <paramref name="SourceSeconds"/> is the source's time as this node measured it,
    /// null while no source has been measured.
    /// </summary>
    private sealed record CheckpointDue(long? SourceSeconds) : CaptureElement;

    private static CaptureElement DropRepeat(RecentWindow recent, CaptureElement element) =>
        element is SourceDocument document && DocumentId.TryRead(document.Json.Span) is { } id && !recent.Add(id, document.Json.Span)
            ? new DuplicateDropped(document.Origin)
            : element;

    private static long Weight(CaptureElement element) => element switch
    {
        ValidDocument v => v.Record.Json.Length,
        InvalidDocument q => q.Record.Record.Json.Length,
        _ => 0,
    };
}
