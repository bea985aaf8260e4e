using ActorBackup.Admin.Contract;
using ActorBackup.Cluster.Replica;
using ActorBackup.Cluster.Serialization;
using Akka.Actor;
using Akka.Event;
using Akka.Pattern;
using Akka.Persistence;

namespace ActorBackup.Cluster.Capture.Points;

/// <summary>
/// Keeps the point up to which a replica's own capture confirmed it holds every record, apart from the replica's
/// watermark: repair and import may raise the watermark on evidence of their own, but capture resumes scanning from
/// what it saw itself, or a raised watermark would hide a gap from it for good. A replica written before this point
/// existed has none, so its capture scans its source again from the start once: records already held count as
/// duplicates.
/// </summary>
public sealed class CapturePointActor : ReceivePersistentActor
{
    /// <summary>
    /// Every event before the newest only repeats a lower point: they are deleted every so many writes. A replica at rest
    /// confirms a point every <c>capture.point-rest-step</c> (<see cref="CapturePointPacer"/>), so this bounds the rows
    /// each replica keeps in the journal (about half of it on average, each a journal row of its own).
    /// </summary>
    public const int DeleteEvery = 10;

    private readonly ReplicaId _replica;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private Watermark _point = Watermark.None;

    public CapturePointActor(ReplicaId replica)
    {
        _replica = replica;
        Recover<CapturePointConfirmed>(e => _point = Watermark.Max(_point, e.To));
        Command<GetCapturePoint>(_ => Sender.Tell(new CapturePoint(_point)));
        Command<ConfirmCapturePoint>(Confirm);
        Command<DeleteMessagesSuccess>(_ => { });
        Command<DeleteMessagesFailure>(f => _log.Warning(f.Cause, "{0}: deleting older capture points failed; recovery replays more of them", _replica));
    }

    public override string PersistenceId => AtRest.Get(Context.System).CapturePointIdOf(_replica);

    /// <summary>
    /// The point under a backoff supervisor that forwards every message: a journal failure stops a persistent actor, and
    /// it starts again from what the journal holds. A confirmation lost meanwhile gets no answer, and the capture sends it
    /// again at its next checkpoint (<see cref="CapturePointPacer"/>): the point stays lower meanwhile, never higher.
    /// </summary>
    public static Props Supervised(ReplicaId replica, Settings.BackoffSettings backoff) =>
        BackoffSupervisor.Props(Backoff.OnStop(
            Props.Create(() => new CapturePointActor(replica)), "point", backoff.Min, backoff.Max, backoff.RandomFactor, maxNrOfRetries: -1));

    private void Confirm(ConfirmCapturePoint command)
    {
        if (command.Point <= _point)
        {
            Sender.Tell(new CapturePointPersisted(_point));
            return;
        }
        var asker = Sender;
        Persist(new CapturePointConfirmed(command.Point), e =>
        {
            _point = Watermark.Max(_point, e.To);
            asker.Tell(new CapturePointPersisted(_point));
            if (LastSequenceNr % DeleteEvery == 0) DeleteMessages(LastSequenceNr - 1);
        });
    }
}
