using ActorBackup.Admin.Contract;
using Akka.Actor;

namespace ActorBackup.Cluster.Positions;

/// <summary>
/// The newest watermark any replica of this node established by its own capture (a checkpoint of a live feed whose
/// batch the journal confirmed, less the catch-up margin): how far this node itself has seen its sources reach. Repair
/// takes it as evidence of its own that the ledger got to a point (<see cref="Repair.RepairEvidence"/>). One per actor
/// system, so several nodes in one process each keep their own; in memory only, since it is established again as soon
/// as a capture is live after a restart.
/// </summary>
public sealed class OwnCapturePoints : IExtension
{
    private long _newest = long.MinValue;

    public static OwnCapturePoints Get(ActorSystem system) => system.WithExtension<OwnCapturePoints, Id>();

    /// <summary>The newest point established so far, <see cref="Watermark.None"/> before the first.</summary>
    public Watermark Newest => Watermark.FromStored(Interlocked.Read(ref _newest));

    /// <summary>A replica of this node established <paramref name="point"/> by its own capture.</summary>
    public void Established(Watermark point)
    {
        var seen = Interlocked.Read(ref _newest);
        while (point.Seconds > seen)
        {
            var was = Interlocked.CompareExchange(ref _newest, point.Seconds, seen);
            if (was == seen) return;
            seen = was;
        }
    }

    private sealed class Id : ExtensionIdProvider<OwnCapturePoints>
    {
        public override OwnCapturePoints CreateExtension(ExtendedActorSystem system) => new();
    }
}
