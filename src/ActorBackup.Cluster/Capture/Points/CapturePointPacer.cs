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
/// A document stamped far ahead (which verification quarantines) keeps every watermark persisted until the clock
/// passes it: what every checkpoint cost before there was a step.
/// </remarks>
internal sealed class CapturePointPacer(TimeSpan restStep)
{
    private readonly long _stepSeconds = (long)Math.Ceiling(restStep.TotalSeconds);
    private Watermark _persisted = Watermark.None;
    private long? _newestReceived;

    /// <summary>Capture's journal took a document (to store or to quarantine) stamped <paramref name="timestamp"/> (Unix seconds).</summary>
    public void Received(long timestamp) => _newestReceived = Math.Max(_newestReceived ?? long.MinValue, timestamp);

    /// <summary>
    /// The journal flushed capture's own watermark up to <paramref name="flushed"/>: true when it is to be persisted as
    /// capture's point, which this pacer then takes as the last one persisted.
    /// </summary>
    public bool ShouldPersist(Watermark flushed)
    {
        if (flushed <= _persisted) return false;
        var due = _persisted.IsNone
            || _newestReceived >= _persisted.Seconds
            || flushed.Seconds - _persisted.Seconds >= _stepSeconds;
        if (due) _persisted = flushed;
        return due;
    }
}
