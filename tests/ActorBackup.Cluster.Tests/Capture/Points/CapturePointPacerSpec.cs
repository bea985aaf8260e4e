using ActorBackup.Admin.Contract;
using ActorBackup.Cluster.Capture.Points;

namespace ActorBackup.Cluster.Tests.Capture.Points;

public sealed class CapturePointPacerSpec
{
    private const long T0 = 1_700_000_000;
    private static readonly TimeSpan Step = TimeSpan.FromMinutes(1);

    [Fact]
    public void At_rest_the_point_is_persisted_once_a_step_of_source_time_not_once_a_checkpoint()
    {
        var pacer = new CapturePointPacer(Step);
        pacer.Received(T0 - 100);
        var persisted = new List<long>();
        // Ten minutes at rest, a checkpoint every 5 s, every confirmation answered.
        for (var t = T0; t <= T0 + 600; t += 5)
            if (Flush(pacer, t)) persisted.Add(t);
        Assert.Equal(Enumerable.Range(0, 11).Select(i => T0 + 60L * i), persisted);
    }

    [Fact]
    public void Every_point_is_persisted_until_one_is_past_the_newest_document_received()
    {
        var pacer = new CapturePointPacer(Step);
        Assert.True(Flush(pacer, T0));
        Assert.False(Flush(pacer, T0 + 5));

        // A document stamped after the persisted point arrives; the watermark reaches past it only a margin later.
        pacer.Received(T0 + 8);
        Assert.True(Flush(pacer, T0 + 6));
        Assert.True(Flush(pacer, T0 + 8));
        Assert.True(Flush(pacer, T0 + 9));
        // Past it: at rest again.
        Assert.False(Flush(pacer, T0 + 14));

        // A late document, stamped below the persisted point, is covered by it already.
        pacer.Received(T0 - 50);
        Assert.False(Flush(pacer, T0 + 19));
        Assert.True(Flush(pacer, T0 + 69));
    }

    [Fact]
    public void A_confirmation_lost_with_a_failed_journal_write_is_sent_again_at_the_next_flush()
    {
        var pacer = new CapturePointPacer(Step);
        Assert.True(Flush(pacer, T0));
        pacer.Received(T0 + 3);
        // Sent, never answered: the point actor stopped on a failed write and its supervisor started it again.
        Assert.True(pacer.ShouldPersist(Watermark.At(T0 + 5)));
        Assert.True(pacer.ShouldPersist(Watermark.At(T0 + 10)));
        pacer.Persisted(Watermark.At(T0 + 10));
        Assert.False(pacer.ShouldPersist(Watermark.At(T0 + 15)));
    }

    [Fact]
    public void A_point_never_moves_back_and_the_first_one_flushed_is_persisted()
    {
        var pacer = new CapturePointPacer(Step);
        Assert.True(Flush(pacer, T0 + 30));
        Assert.False(Flush(pacer, T0 + 30));
        Assert.False(Flush(pacer, T0 + 10));
        pacer.Received(T0 + 40);
        Assert.False(Flush(pacer, T0 + 20));
        Assert.True(Flush(pacer, T0 + 31));
        // An answer for an earlier point than the one held changes nothing.
        pacer.Persisted(Watermark.At(T0));
        Assert.False(Flush(pacer, T0 + 31));
    }

    [Fact]
    public void A_document_stamped_far_ahead_keeps_every_point_persisted_as_without_a_step()
    {
        var pacer = new CapturePointPacer(Step);
        pacer.Received(T0 + 86_400 * 365);
        for (var t = T0; t <= T0 + 20; t += 5) Assert.True(Flush(pacer, t));
    }

    [Fact]
    public void A_step_of_zero_persists_every_checkpoint_point()
    {
        var pacer = new CapturePointPacer(TimeSpan.Zero);
        for (var t = T0; t <= T0 + 20; t += 5) Assert.True(Flush(pacer, t));
    }

    /// <summary>A flushed watermark; when it is due, the point actor persists it and answers at once.</summary>
    private static bool Flush(CapturePointPacer pacer, long seconds)
    {
        var due = pacer.ShouldPersist(Watermark.At(seconds));
        if (due) pacer.Persisted(Watermark.At(seconds));
        return due;
    }
}
