using ActorBackup.Cluster.Capture.Pipeline;
using Akka;
using Akka.Streams.Dsl;

namespace ActorBackup.Cluster.Capture.Sources;

/// <summary>
/// Where a replica's documents come from. One call is one attempt: the source subscribes to changes of the
/// range first, emits <see cref="FeedOpened"/>, then the documents of the catch-up scan, then
/// <see cref="ScanCompleted"/>, then the live changes, and fails when the feed breaks or loses changes. A source
/// whose connection can go silent without failing also emits <see cref="SourceReachable"/> before
/// <see cref="ScanCompleted"/> and regularly after it; the attempt's checkpoints never pass the last one.
/// The pipeline restarts it with backoff; it must release what it holds when cancelled.
/// </summary>
public interface ICaptureSource
{
    Source<CaptureElement, NotUsed> Open(CaptureRequest request);
}
