using ActorBackup.Admin.Contract;

namespace ActorBackup.Cluster.Capture.Points;

/// <summary>
/// Decides which of the watermarks capture established and the journal flushed are persisted as capture's own point
/// (<see cref="CapturePointActor"/>). While a document capture received is not yet below the persisted point, every
/// flushed watermark is persisted, so a restart soon scans from past what capture already holds. A replica at rest,
/// whose point only moves with the source's clock, persists it once it has moved a step past the last one: a journal
/// write per step, not per checkpoint. A restart then reads again at most a step more of a stretch in which nothing
/// arrived; the persisted point is never past what the journal flushed, only lower.
/// </summary>
/// <remarks>
/// The last persisted point is the one the <see cref="CapturePointActor"/> answered as durable
/// (<see cref="CapturePointPersisted"/>), not the last one sent: a confirmation lost with a failed journal write (the actor
/// stops and its supervisor starts it again) leaves the point due, and the next flushed watermark sends it again. A
/// document stamped far ahead (which verification quarantines) keeps every watermark persisted until the clock passes it,
/// as every checkpoint's was before there was a step.
/// </remarks>
internal sealed class CapturePointPacer(TimeSpan restStep)
{
    private readonly long _stepSeconds = (long)Math.Ceiling(restStep.TotalSeconds);
    private Watermark _persisted = Watermark.None;
    private long? _newestReceived;

    /// <summary>Capture's journal took a document (to store or to quarantine) stamped <paramref name="timestamp"/> (Unix seconds).</summary>
    public void Received(long timestamp) => _newestReceived = Math.Max(_newestReceived ?? long.MinValue, timestamp);

    /// <summary>The <see cref="CapturePointActor"/> answered that it holds <paramref name="point"/> durably.</summary>
    public void Persisted(Watermark point) => _persisted = Watermark.Max(_persisted, point);

    /// <summary>
    /// The journal flushed capture's own watermark up to <paramref name="flushed"/>: true when it is to be sent to the
    /// <see cref="CapturePointActor"/> to persist, which holds until that actor answers for it or a later one.
    /// </summary>
    public bool ShouldPersist(Watermark flushed) =>
        flushed > _persisted
        && (_persisted.IsNone
            || _newestReceived >= _persisted.Seconds
            || flushed.Seconds - _persisted.Seconds >= _stepSeconds);
}
