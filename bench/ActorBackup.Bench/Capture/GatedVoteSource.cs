using System.Text;
using ActorBackup.Cluster.Capture.Pipeline;
using ActorBackup.Cluster.Capture.Sources;
using Akka;
using Akka.Streams.Dsl;

namespace ActorBackup.Bench.Capture;

/// <summary>
/// An in-process federation feed of distinct votes in segments: record <c>n</c> is pool vote <c>n mod pool</c> (made by
/// <see cref="StoredVote.Of"/>) under a fresh random UUID (the id is not part of the signature, so every record verifies
/// and is stored), made when the stream asks for it so that the benchmark itself holds no records. Segment <c>i</c>
/// ends at <c>points[i]</c> records; the feed stops there until <see cref="Release"/>(i).
/// </summary>
internal sealed class GatedVoteSource(byte[][] pool, int[] points) : ICaptureSource
{
    private readonly TaskCompletionSource[] _gates = [.. points.Select(_ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously))];

    /// <summary>Opens the segment after <paramref name="point"/>.</summary>
    public void Release(int point) => _gates[point].TrySetResult();

    public Source<CaptureElement, NotUsed> Open(CaptureRequest request)
    {
        var segments = Source.Single<CaptureElement>(new FeedOpened("in-process"));
        for (var i = 0; i < points.Length; i++)
        {
            var (from, to) = (i == 0 ? 0 : points[i - 1], points[i]);
            var gate = i == 0 ? Task.CompletedTask : _gates[i - 1].Task;
            segments = segments.Concat(Source.FromTask(gate.ContinueWith(_ => NotUsed.Instance, TaskScheduler.Default))
                .ConcatMany(_ => Source.From(Records(from, to))));
        }
        return segments.Concat(Source.Single<CaptureElement>(ScanCompleted.Instance)).Concat(Source.Never<CaptureElement>());
    }

    private IEnumerable<CaptureElement> Records(int from, int to)
    {
        var random = new Random(from);
        var uuid = new byte[16];
        for (var n = from; n < to; n++)
        {
            var vote = pool[n % pool.Length];
            var json = (byte[])vote.Clone();
            random.NextBytes(uuid);
            Encoding.ASCII.GetBytes(new Guid(uuid).ToString(), json.AsSpan(StoredVote.IdPrefix.Length, StoredVote.IdLength));
            yield return new SourceDocument(json, DocumentOrigin.Scan);
        }
    }
}
